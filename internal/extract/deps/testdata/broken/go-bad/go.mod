module example.com/bad

go 1.22

require (
	github.com/google/go-cmp v0.6.0
	this is not a requirement
