// The test's view of scripts/readme-check.mjs, a plain ESM script that node runs in CI: its exports are
// exercised by test/readme-check.test.ts, not typed here.
/* biome-ignore-all lint/suspicious/noExplicitAny: see above */
export const applySubstitutions: any;
export const ncsdeInvocations: any;
export const parseMarker: any;
export const parseReadme: any;
export const shellContext: any;
export const parseSubstitutions: any;
export const Checker: any;
