// The output formats of `stagescope check`, apart from their code so that argument parsing
// (and --help) loads none of it.
export const FORMATS = ['text', 'json', 'markdown', 'junit', 'sarif', 'github'] as const;
export type CheckFormat = (typeof FORMATS)[number];
