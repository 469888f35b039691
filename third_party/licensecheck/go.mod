module github.com/google/licensecheck

go 1.21
