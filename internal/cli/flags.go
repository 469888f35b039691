package cli

import (
	"math"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ospo-project/ospo/internal/config"
)

// checkNumericFlags refuses numeric flag values no command means: a negative count
// or duration, a number that is not finite (NaN compares false with
// everything, so `--min-score NaN` would turn a gate off), and more scan
// workers than config.MaxWorkers. It runs before every command, so a new flag
// is covered without a check of its own.
func checkNumericFlags(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || !f.Changed {
			return
		}
		v := f.Value.String()
		switch f.Value.Type() {
		case "int", "int64", "int32":
			n, perr := strconv.ParseInt(v, 10, 64)
			switch {
			case perr != nil:
			case n < 0:
				err = usageErr("--%s: %d is negative", f.Name, n)
			case f.Name == "workers":
				if cerr := config.CheckWorkers("--workers", int(n)); cerr != nil {
					err = usageErr("%v", cerr)
				}
			}
		case "float64", "float32":
			x, perr := strconv.ParseFloat(v, 64)
			if perr == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
				err = usageErr("--%s: %s is not a finite number", f.Name, v)
			}
		case "duration":
			d, perr := time.ParseDuration(v)
			if perr == nil && d < 0 {
				err = usageErr("--%s: %s is negative", f.Name, v)
			}
		}
	})
	return err
}
