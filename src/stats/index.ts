// Monte Carlo statistics with calibrated uncertainties: moments, intervals (normal, Wilson, BCa
// bootstrap, jackknife), two-sample tests and distances, and weighted fits with confidence intervals.
export * from './moments.js';
export * from './tests.js';
export * from './distances.js';
export * from './proportions.js';
export * from './resampling.js';
export * from './fit.js';
export * from './lognormal.js';
export * from './cells.js';
