package web

import "net/http"

// innersource is the marketplace: the InnerSource projects as cards, most
// active first.
func (p *Pages) innersource(w http.ResponseWriter, r *http.Request) {
	cs, err := p.cat.InnerSource(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "innersource.html", map[string]any{"Cards": cs})
}
