/** The real upstreams the global setup started (test/support/data-plane-upstreams.ts). */
import { inject } from 'vitest';
import type {} from '../../support/upstream-urls.ts';

export const upstreams = inject('dataPlaneUpstreams');
