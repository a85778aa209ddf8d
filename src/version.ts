// The package's name and version as constants, so that bundlers and the worker need no package.json
// at run time; a test holds them equal to package.json.
/** The npm name of this package (stamped into every report). */
export const PACKAGE_NAME = 'neural-covariance-sde';
/** The package version (stamped into every report and scan hash). */
export const PACKAGE_VERSION = '0.2.0';
