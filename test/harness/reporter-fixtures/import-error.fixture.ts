import { expect, it } from 'vitest';
import { loaded } from './throws-on-load.js';

it('never collected', () => expect(loaded).toBe(true));
