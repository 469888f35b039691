// Package rusage reports what this process has used of the machine: its CPU
// time and its peak memory. Benchmarks and load tests print them beside wall
// times because on a busy machine the wall time measures the wait for a core
// as much as the work. Where the operating system does not tell (not unix),
// every figure is zero.
package rusage
