module example.com/fixture/legacy

go 1.16

require github.com/spf13/cobra v1.8.0
