module example.com/fixture/app

go 1.22

require (
	example.com/fixture/lib v0.0.0
	github.com/google/go-cmp v0.6.0
	github.com/spf13/cobra v1.8.0
	golang.org/x/text v0.14.0
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.5 // indirect
)

replace golang.org/x/text => golang.org/x/text v0.13.0

replace example.com/fixture/lib => ./lib

toolchain go1.22.5
