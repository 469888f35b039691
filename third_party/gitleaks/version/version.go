package version

// these two gotta be the same
var DefaultMsg = "version is set by build process"
var Version = "version is set by build process"
