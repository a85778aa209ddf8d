// The package's name and version as constants, so that bundlers and the worker need no package.json
// at run time; a test holds them equal to package.json.
export const PACKAGE_NAME = 'neural-covariance-sde';
export const PACKAGE_VERSION = '0.2.0';
