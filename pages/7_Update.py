"""Update data: sign in, upload, preview the changes, checks and figures from a staged build, publish or discard,
roll back. Who may change the data is app/access.py's (the institution's identity provider, or one machine's
password); every action checks it again on the server and names what it acts on: the preview's base build, the
publish it withdraws or brings back, and the newest change-log row the analyst saw."""

import streamlit as st

from app import access, builds, data, figures, login, tables, updates
from app.i18n import N_, t
from app.live import Live
from app.page import change_history, notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_update")
notices(PageState("update").sync(), lang)
st.title(t("update_heading", lang))
if not updates.enabled():
    st.info(t("update_disabled", lang))
    st.stop()


def forget_session() -> None:
    """What this session staged and its password sign-in go (before signing out)."""
    updates.discard(st.session_state.pop("update.preview", None))
    for k in ("update.ok", "update.files"):
        st.session_state.pop(k, None)


# Why a signed-in person may not change the data (access.Identity.reason).
NOT_ALLOWED = {"not_listed": N_("update_not_allowed_not_listed"), "too_old": N_("update_not_allowed_too_old"),
               "unverified_email": N_("update_not_allowed_unverified_email"),
               "no_publishers": N_("update_not_allowed_no_publishers")}

who = access.identity()
if who.mode == "oidc":
    if not who.signed_in:
        st.write(t("update_signin_intro", lang))
        for provider in who.providers:
            label = t("update_signin", lang) if provider is None else t("update_signin_with", lang, provider=provider)
            if st.button(label, key=f"update.signin.{provider or 'default'}", type="primary",
                         icon=":material/login:"):
                st.login(provider)
        st.stop()
    st.markdown(t("update_signed_in", lang, who=tables.escape(who.author)))
    if st.button(t("update_logout", lang), key="update.logout", type="tertiary", icon=":material/logout:"):
        forget_session()
        st.logout()  # the identity cookie goes, the provider's session ends, and this page starts a new session
        st.stop()
else:
    if not who.signed_in:
        keys = login.session_keys()
        with st.form("update_login"):
            given = st.text_input(t("update_password", lang), type="password")
            if st.form_submit_button(t("update_login", lang)):
                if wait := login.wait_seconds(keys):
                    st.error(t("update_wait", lang, seconds=wait))
                elif login.password_ok(given, st.secrets if st.secrets.load_if_toml_exists() else None):
                    login.succeeded(keys)
                    st.session_state["update.ok"] = True
                    st.rerun()
                else:
                    login.failed(keys)
                    st.error(t("update_wrong_password", lang))
        st.stop()
    st.markdown(t("update_signed_in_password", lang, who=tables.escape(who.author)))
    if st.button(t("update_logout", lang), key="update.logout", type="tertiary", icon=":material/logout:"):
        forget_session()
        st.rerun()


if journal := builds.journal_problem():  # a publish or roll-back that cannot be finished: readers keep the last build
    st.error(t("update_journal_failed", lang, problem=journal))


def outcome() -> None:
    """What the last action did, or why it was refused (set by the action, shown once)."""
    if "update.done" in st.session_state:
        st.success(tables.escape(st.session_state.pop("update.done")))
    if "update.refused" in st.session_state:
        st.error(st.session_state.pop("update.refused"))


if not who.allowed:  # signed in, but not a publisher: the history, and no control that changes anything
    outcome()
    email = who.author.email if who.author and who.author.email else "—"
    st.warning(t(NOT_ALLOWED.get(who.reason, "update_not_allowed"), lang, email=tables.escape(email),
                 hours=f"{access.rules(st.secrets).max_age_s / 3600:g}"))
    if who.reason == "too_old":
        if st.button(t("update_signin_again", lang), key="update.signin.again", icon=":material/login:"):
            st.login(who.provider)
            st.stop()
    st.subheader(t("changes_heading", lang))
    Live(lang).draw(change_history(lang, key="update"))
    st.stop()

st.write(t("update_intro", lang))
uploads: list = st.session_state.setdefault("update.files", [])
c1, c2 = st.columns([1, 2])
dataset = c1.selectbox(t("update_dataset", lang), updates.DATASETS, key="update.dataset")
file = c2.file_uploader(t("update_file", lang), type=["csv", "tsv", "xlsx"], key="update.upload")
with st.expander(t("update_layouts", lang)):
    st.markdown("\n".join(f"- `{d}`: {tables.escape(v)}" for d, v in updates.published_layouts().items()))
if file is not None and st.button(t("update_add", lang), key="update.add"):
    uploads.append(updates.Upload(dataset, file.name, file.getvalue()))
    updates.discard(st.session_state.pop("update.preview", None))

if uploads:
    st.subheader(t("update_files", lang))
    st.markdown("\n".join(f"- {tables.escape(u.dataset)}: {tables.escape(u.name)} ({len(u.data):,} B)" for u in uploads))
    a, b = st.columns(2)
    if a.button(t("update_preview", lang), type="primary", key="update.check"):
        updates.discard(st.session_state.pop("update.preview", None))
        st.session_state["update.preview"] = updates.preview(uploads)
    if b.button(t("update_discard", lang), key="update.discard"):
        updates.discard(st.session_state.pop("update.preview", None))
        uploads.clear()
        st.rerun()

preview = st.session_state.get("update.preview")
if preview is not None:
    if preview.error:
        st.error(t("update_refused", lang, error=tables.escape(preview.error)))
    else:
        st.subheader(t("update_changes", lang))
        st.caption(t("update_base", lang, build=tables.escape(preview.base or "—")))
        if preview.changes.empty:
            st.caption(t("update_no_changes", lang))
        else:
            st.dataframe(preview.changes, hide_index=True, width="stretch")
        st.subheader(t("update_checks", lang))
        st.dataframe(preview.checks, hide_index=True, width="stretch")
        if preview.db is None:
            st.error(t("update_failing", lang))
        else:
            st.subheader(t("update_figures", lang))
            tpl = ui_template()
            with builds.staged(preview.db):  # every figure below reads the staged build, not the live one
                for i, fig in enumerate(figures.affected({u.dataset for u in uploads}, lang, tpl)):
                    show(fig, key=f"update.fig.{i}")
            with st.form("update_publish"):
                st.markdown(f"**{t('update_provenance', lang)}**")
                meta = {"title": st.text_input(t("update_source_title", lang)),
                        "publisher": st.text_input(t("update_publisher", lang)),
                        "date": st.text_input(t("update_published", lang)),
                        "url": st.text_input(t("update_url", lang)) or None,
                        "licence": st.text_input(t("update_licence", lang))}
                st.caption(t("update_publish_as", lang, who=tables.escape(who.author)))
                if st.form_submit_button(t("update_publish", lang), type="primary"):
                    try:  # the identity again, on the server, and the preview's base: what the analyst saw
                        build = updates.publish_uploads(uploads, meta, access.identity(), base=preview.base)
                    except updates.StaleError as exc:
                        updates.discard(st.session_state.pop("update.preview", None))
                        st.error(t("update_stale", lang, changes=updates.describe(exc.moved, lang)))
                    except access.NotAllowed:
                        st.error(t("update_not_allowed", lang))
                    except (updates.InputError, updates.BuildError) as exc:
                        st.error(t("update_refused", lang, error=tables.escape(exc)))
                    else:
                        updates.discard(st.session_state.pop("update.preview", None))
                        uploads.clear()
                        st.session_state["update.done"] = t("update_done", lang, build=build)
                        st.rerun()


def act(action: str, publish_id: str, seen: str, lang: str) -> None:
    """A roll-back or its undo, with what the analyst saw when the button was drawn (a callback's arguments are the
    run's that drew it, not the state at the click): the publish it names and the newest change-log row shown."""
    run = updates.rollback if action == "rollback" else updates.restore
    try:
        what = run(access.identity(), publish_id=publish_id, expected=seen)
    except updates.StaleError as exc:
        st.session_state["update.refused"] = t("update_moved", lang, changes=updates.describe(exc.moved, lang))
    except access.NotAllowed:
        st.session_state["update.refused"] = t("update_not_allowed", lang)
    except (updates.InputError, updates.BuildError) as exc:
        st.session_state["update.refused"] = t("update_refused", lang, error=tables.escape(exc))
    else:
        done = "update_rolled_back" if action == "rollback" else "update_restored"
        st.session_state["update.done"] = t(done, lang, what=what)


outcome()
st.subheader(t("changes_heading", lang))
try:
    log = data.changes()
except updates.InputError:
    log = None  # change_history says which line of the log cannot be read: nothing to roll back until it is mended
Live(lang).draw(change_history(lang, key="update"))
if log is not None and not log.empty:
    seen = log.publish_id.iloc[0]  # the newest row shown above
    live_id, withdrawn_id = updates.targets(log)
    st.caption(t("update_seen", lang, id=seen))
    a, b = st.columns(2)
    if live_id:
        a.button(t("update_rollback", lang, id=live_id), key="update.rollback", on_click=act,
                 args=("rollback", live_id, seen, lang))
    if withdrawn_id:
        b.button(t("update_restore", lang, id=withdrawn_id), key="update.restore", on_click=act,
                 args=("restore", withdrawn_id, seen, lang))
