"""Update data: upload, preview the changes, checks and figures from a staged build, publish or discard, roll back."""

import streamlit as st

from app import builds, data, figures, login, tables, updates
from app.live import Live
from app.i18n import t
from app.page import change_history, notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_update")
notices(PageState("update").sync(), lang)
st.title(t("update_heading", lang))
if not updates.enabled():
    st.info(t("update_disabled", lang))
    st.stop()
if not st.session_state.get("update.ok"):
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

if st.button(t("update_logout", lang), key="update.logout", type="tertiary", icon=":material/logout:"):
    updates.discard(st.session_state.pop("update.preview", None))
    for k in ("update.ok", "update.files"):
        st.session_state.pop(k, None)
    st.rerun()
if journal := builds.journal_problem():  # a publish or roll-back that cannot be finished: readers keep the last build
    st.error(t("update_journal_failed", lang, problem=journal))
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
                by = st.text_input(t("update_by", lang))
                if st.form_submit_button(t("update_publish", lang), type="primary"):
                    try:
                        build = updates.publish_uploads(uploads, meta, by, base=preview.base)
                    except updates.StaleError:
                        updates.discard(st.session_state.pop("update.preview", None))
                        st.error(t("update_stale", lang))
                    except (updates.InputError, updates.BuildError) as exc:
                        st.error(t("update_refused", lang, error=tables.escape(exc)))
                    else:
                        updates.discard(st.session_state.pop("update.preview", None))
                        uploads.clear()
                        st.session_state["update.done"] = t("update_done", lang, build=build)
                        st.rerun()

if "update.done" in st.session_state:
    st.success(tables.escape(st.session_state.pop("update.done")))
st.subheader(t("changes_heading", lang))
log = data.changes()
Live(lang).draw(change_history(lang, key="update"))
if not log.empty:
    by = st.text_input(t("update_by_rollback", lang), key="update.by")
    a, b = st.columns(2)
    for column, action, label, done in ((a, updates.rollback, "update_rollback", "update_rolled_back"),
                                        (b, updates.restore, "update_restore", "update_restored")):
        if column.button(t(label, lang), key=f"update.{action.__name__}"):
            try:
                what = action(by)
            except (updates.InputError, updates.BuildError) as exc:
                st.error(t("update_refused", lang, error=tables.escape(exc)))
            else:
                st.session_state["update.done"] = t(done, lang, what=what)
                st.rerun()
