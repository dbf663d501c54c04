export const HARNESS_VERSION = '0.1.0';
