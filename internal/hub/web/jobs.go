package web

import (
	"context"
	"net/http"

	"github.com/ospo-project/ospo/internal/jobs"
)

// JobQueue is what the queue page reads; *jobs.Queue is one.
type JobQueue interface {
	Stats(ctx context.Context) ([]jobs.KindStats, error)
	Active(ctx context.Context, limit int) ([]jobs.JobInfo, error)
	Parked(ctx context.Context, limit int) ([]jobs.JobInfo, error)
}

// jobsPageRows is how many active and parked jobs the queue page lists.
const jobsPageRows = 50

// RegisterJobs adds the job queue page, /admin/jobs: per kind, the jobs
// waiting and running, those done, parked and cancelled in the last hour,
// the oldest wait; then the oldest active jobs and the latest parked ones
// with their errors.
func (p *Pages) RegisterJobs(mux Mux, q JobQueue) {
	mux.HandleFunc("GET /admin/jobs", func(w http.ResponseWriter, r *http.Request) {
		stats, err := q.Stats(r.Context())
		if err != nil {
			p.fail(w, err)
			return
		}
		active, err := q.Active(r.Context(), jobsPageRows)
		if err != nil {
			p.fail(w, err)
			return
		}
		parked, err := q.Parked(r.Context(), jobsPageRows)
		if err != nil {
			p.fail(w, err)
			return
		}
		d := accountData(r, "Job queue")
		d["Stats"], d["Active"], d["Parked"] = stats, active, parked
		p.render(w, "jobs.html", d)
	})
}
