// The images scripts/ci/build-base-images.sh makes offline. Keep in sync with that script:
// the refs and the recipe labels it stamps on each image.
export const BASE_IMAGES = {
  busybox: 'stagescope-test/busybox:1',
  golang: 'stagescope-test/golang:1.24',
  assets: 'stagescope-test/assets:1',
} as const;

export type BaseImageName = keyof typeof BASE_IMAGES;

/** Every base image carries this label; tests use it to tell ours from anything else. */
export const BASE_IMAGE_LABEL = 'org.stagescope.test';

export const BUILD_BASE_IMAGES_SCRIPT = 'scripts/ci/build-base-images.sh';

/** Files in stagescope-test/assets:1, exactly as the script writes them. */
export const ASSETS_FILES = {
  '/assets/LICENSE.txt': 'StageScope test assets. MIT License.\n',
  '/assets/config/app.toml': '[app]\nname = "stagescope-fixture"\nport = 8080\n',
  '/assets/bin/tool': '#!/bin/sh\necho "tool from stagescope-test/assets:1"\n',
} as const;
/** A symlink /assets/config/current.toml -> app.toml and a 64 KiB file of 'a' bytes. */
export const ASSETS_SYMLINK = { path: '/assets/config/current.toml', target: 'app.toml' } as const;
export const ASSETS_BLOB = { path: '/assets/data/blob.bin', size: 65536 } as const;
