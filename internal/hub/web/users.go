package web

import (
	"net/http"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
)

// assignableRoles are the roles an account may be given (maintainer is
// held of a project, not given).
var assignableRoles = []catalog.Role{catalog.RoleViewer, catalog.RoleDeveloper, catalog.RoleOSPO, catalog.RoleAdmin}

// users lists accounts with the forms that change them (admins).
func (p *Pages) users(w http.ResponseWriter, r *http.Request) {
	p.renderUsers(w, r, http.StatusOK, "")
}

func (p *Pages) renderUsers(w http.ResponseWriter, r *http.Request, status int, problem string) {
	d := accountData(r, "Users")
	accs, err := p.acc.Store.ListAccounts(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	d["Users"], d["Roles"], d["Problem"] = accs, assignableRoles, problem
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	p.render(w, "users.html", d)
}

// addUser creates an account, with a password when one is given.
func (p *Pages) addUser(w http.ResponseWriter, r *http.Request) {
	_, err := p.acc.Service.CreateAccount(r.Context(), auth.ActorOf(r), r.PostFormValue("email"),
		catalog.Role(r.PostFormValue("role")), r.PostFormValue("password"))
	if err != nil {
		p.renderUsers(w, r, http.StatusBadRequest, catalog.UserText(err))
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// setRole changes an account's role.
func (p *Pages) setRole(w http.ResponseWriter, r *http.Request) {
	if _, err := p.acc.Service.SetRole(r.Context(), auth.ActorOf(r), r.PathValue("email"), catalog.Role(r.PostFormValue("role"))); err != nil {
		p.failChange(w, err)
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// setDisabled disables (disabled=true) or enables an account.
func (p *Pages) setDisabled(w http.ResponseWriter, r *http.Request) {
	disabled := r.PostFormValue("disabled") == "true"
	if _, err := p.acc.Service.SetDisabled(r.Context(), auth.ActorOf(r), r.PathValue("email"), disabled); err != nil {
		p.failChange(w, err)
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}
