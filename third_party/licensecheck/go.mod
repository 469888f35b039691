module github.com/google/licensecheck

go 1.21

require github.com/klauspost/compress v1.18.6
