package pflag
