// Imported by import-error.fixture.ts: evaluating this module fails, as a missing native binding would.
throw new Error('this module cannot be loaded');
export const loaded = true;
