package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/inbox"
)

// snoozeChoices are the snooze lengths the inbox page offers.
var snoozeChoices = []struct{ Value, Label string }{{"1d", "a day"}, {"7d", "a week"}, {"30d", "a month"}}

// inboxPageItems is how many items of each list (open, snoozed, done) the
// inbox page shows unless asked for all: each item carries up to three
// forms, and a person on hundreds of projects can have hundreds of items.
const inboxPageItems = 50

// inboxPage is the signed-in account's inbox: the open items, most
// pressing first, each with where to act on it and buttons to mark it done
// or snooze it; then the snoozed and done items, to reopen.
func (p *Pages) inboxPage(w http.ResponseWriter, r *http.Request) {
	p.renderInbox(w, r, http.StatusOK, "")
}

func (p *Pages) renderInbox(w http.ResponseWriter, r *http.Request, status int, problem string) {
	d := accountData(r, "Inbox")
	acc := auth.FromContext(r.Context()).Principal.Email()
	in, person, err := p.cat.Inbox(r.Context(), acc, inbox.Options{Hidden: true})
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Inbox"], d["InboxPerson"], d["Problem"], d["Snooze"] = in, person, problem, snoozeChoices
	// The first inboxPageItems of each list; ?all=1 shows every item.
	all := r.URL.Query().Get("all") != ""
	page := func(items []inbox.Item) ([]inbox.Item, int) {
		if all || len(items) <= inboxPageItems {
			return items, 0
		}
		return items[:inboxPageItems], len(items) - inboxPageItems
	}
	var more [3]int
	d["Open"], more[0] = page(in.Items)
	d["Snoozed"], more[1] = page(in.Snoozed)
	d["Done"], more[2] = page(in.Done)
	d["More"] = more[0] + more[1] + more[2]
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "inbox.html", d)
}

// decideInbox records a decision from the inbox page's forms (item,
// state: done, snoozed or open; for: a snooze's length; fingerprint: the
// fact shown), then goes back to the inbox.
func (p *Pages) decideInbox(w http.ResponseWriter, r *http.Request) {
	pr := auth.FromContext(r.Context()).Principal
	state := r.PostFormValue("state")
	var until time.Time
	if state == catalog.InboxSnoozed {
		dur, err := auth.ParseDuration(r.PostFormValue("for"))
		if err != nil {
			p.renderInbox(w, r, http.StatusBadRequest, "snooze: "+catalog.UserText(err))
			return
		}
		until = time.Now().Add(dur)
	}
	by := auth.ActorOf(r).Entry("", time.Now())
	err := p.cat.DecideInbox(r.Context(), pr.Email(), r.PostFormValue("item"), state, until, r.PostFormValue("fingerprint"), by)
	if err != nil {
		f := catalog.FaultOf(err)
		if f.Status == http.StatusInternalServerError {
			p.fail(w, err)
			return
		}
		p.renderInbox(w, r, f.Status, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/me/inbox#"+url.QueryEscape(r.PostFormValue("item")), http.StatusSeeOther)
}
