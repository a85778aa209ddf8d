// Deterministic maths: exp, expm1, log, log1p, acos, sin, cos, tanh, atanh, pow and hypot built only from
// IEEE-exact operations (+, -, *, /, sqrt and bit moves), so a seed gives the same bits on every engine,
// platform and in the WebAssembly port; each within 1 ulp (test/math.test.ts, against an mpmath table).

export { exp, expm1 } from './exp.js';
export { log, log1p } from './log.js';
export { acos } from './acos.js';
export { sin, cos } from './trig.js';
export { tanh, atanh } from './hyperbolic.js';
export { pow } from './pow.js';
export { hypot } from './hypot.js';
export { hashFloat64 } from './hash.js';
