package storetest

// licenseTests cover store.LicenseStore.
var licenseTests = []namedTest{}
