FROM stagescope-test/busybox:1 AS build
RUN echo first
RUN echo "about to fail" && for i in 1 2 3; do echo "log $i"; done && exit 3
RUN echo never
