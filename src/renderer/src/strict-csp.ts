import { config } from 'zod';

/**
 * zod compiles object parsers with `new Function` when it may; under the renderer's CSP (no
 * unsafe-eval) even its probe is a policy violation. Jitless parsing is plenty fast for the
 * event payloads the renderer validates.
 */
config({ jitless: true });
