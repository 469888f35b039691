package report

const version = "v8.0.0"
const driver = "gitleaks"
