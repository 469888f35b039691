package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/ospo-project/ospo/internal/cli.Version=v1.2.3".
var Version = "dev"

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of ospo",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			rev := ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" {
						rev = " " + s.Value
					}
				}
			}
			fmt.Fprintf(a.stdout, "ospo %s%s (scanner %s, %s %s/%s)\n", Version, rev, catalog.ScannerVersion,
				runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
