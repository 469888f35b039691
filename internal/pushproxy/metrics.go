package pushproxy

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// pushBuckets are the upper bounds, in seconds, of the push duration
// histogram.
var pushBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Metrics counts the proxy's pushes, findings, decisions and forwards, in
// the Prometheus text format (written by hand, as the hub's are).
type Metrics struct {
	mu        sync.Mutex
	pushes    map[string]uint64 // by outcome
	findings  map[string]uint64 // by check
	decisions map[string]uint64 // approve, reject
	forwards  map[string]uint64 // ok, failed
	syncFails uint64
	buckets   []uint64
	sum       float64
	count     uint64
	stages    map[string]*stageTime // by stage of a push
}

// stageTime is the time spent in one stage of pushes, summed.
type stageTime struct {
	sum   float64
	count uint64
}

func newMetrics() *Metrics {
	return &Metrics{pushes: map[string]uint64{}, findings: map[string]uint64{}, decisions: map[string]uint64{},
		forwards: map[string]uint64{}, buckets: make([]uint64, len(pushBuckets)), stages: map[string]*stageTime{}}
}

func (m *Metrics) observePush(outcome string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pushes[outcome]++
	sec := d.Seconds()
	if i, _ := slices.BinarySearch(pushBuckets, sec); i < len(pushBuckets) {
		m.buckets[i]++
	}
	m.sum += sec
	m.count++
}

// observeStage adds d to the time spent in a stage of a push.
func (m *Metrics) observeStage(stage string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.stages[stage]
	if st == nil {
		st = &stageTime{}
		m.stages[stage] = st
	}
	st.sum += d.Seconds()
	st.count++
}

// StageTime is the time pushes spent in one stage, summed, and how many
// times the stage ran.
type StageTime struct {
	Sum   time.Duration
	Count int
}

// Stages returns the time spent so far in each stage of the pushes (ref
// advertisement, mirror fetch, index-pack, each check, the store, the
// forward), by stage name.
func (m *Metrics) Stages() map[string]StageTime {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]StageTime{}
	for k, st := range m.stages {
		out[k] = StageTime{Sum: time.Duration(st.sum * float64(time.Second)), Count: int(st.count)}
	}
	return out
}

func (m *Metrics) observeFindings(fs []catalog.PushFinding) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range fs {
		m.findings[f.Check]++
	}
}

func (m *Metrics) observeDecision(approve bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.decisions[map[bool]string{true: "approve", false: "reject"}[approve]]++
}

func (m *Metrics) observeExpired() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.decisions["expire"]++
}

func (m *Metrics) observeForward(ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.forwards[map[bool]string{true: "ok", false: "failed"}[ok]]++
}

func (m *Metrics) observeSync(_ time.Duration, err error) {
	if err == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.syncFails++
}

// WriteTo writes the metrics in the Prometheus text exposition format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	family := func(name, help string, by map[string]uint64, label string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
		keys := make([]string, 0, len(by))
		for k := range by {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s{%s=%q} %d\n", name, label, k, by[k])
		}
	}
	family("ospo_proxy_pushes_total", "Pushes received by the push proxy, by outcome.", m.pushes, "outcome")
	family("ospo_proxy_findings_total", "Findings of the push proxy's checks, by check.", m.findings, "check")
	family("ospo_proxy_decisions_total", "Decisions on held pushes: approve and reject by reviewers, expire.", m.decisions, "decision")
	family("ospo_proxy_forwards_total", "Pushes forwarded to their upstream, by result.", m.forwards, "result")
	fmt.Fprintf(&b, "# HELP ospo_proxy_mirror_sync_failures_total Mirror fetches that failed (upstream unreachable).\n# TYPE ospo_proxy_mirror_sync_failures_total counter\nospo_proxy_mirror_sync_failures_total %d\n", m.syncFails)
	fmt.Fprintf(&b, "# HELP ospo_proxy_push_duration_seconds Time to receive, check and answer a push.\n# TYPE ospo_proxy_push_duration_seconds histogram\n")
	var cum uint64
	for i, le := range pushBuckets {
		cum += m.buckets[i]
		fmt.Fprintf(&b, "ospo_proxy_push_duration_seconds_bucket{le=\"%g\"} %d\n", le, cum)
	}
	fmt.Fprintf(&b, "ospo_proxy_push_duration_seconds_bucket{le=\"+Inf\"} %d\nospo_proxy_push_duration_seconds_sum %g\nospo_proxy_push_duration_seconds_count %d\n", m.count, m.sum, m.count)
	fmt.Fprintf(&b, "# HELP ospo_proxy_push_stage_seconds Time spent in each stage of pushes (advertise, fetch, index-pack, each check, store, forward).\n# TYPE ospo_proxy_push_stage_seconds summary\n")
	stages := make([]string, 0, len(m.stages))
	for k := range m.stages {
		stages = append(stages, k)
	}
	slices.Sort(stages)
	for _, k := range stages {
		fmt.Fprintf(&b, "ospo_proxy_push_stage_seconds_sum{stage=%q} %g\nospo_proxy_push_stage_seconds_count{stage=%q} %d\n", k, m.stages[k].sum, k, m.stages[k].count)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
