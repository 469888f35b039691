package storetest

// advisoryTests cover store.AdvisoryStore.
var advisoryTests = []namedTest{}
