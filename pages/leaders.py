"""Coordinators watch people become leaders: spotted in a 1:1, trained,
taking roles. Stages come from the records; duplicates are offered for a
coordinator to merge, never merged silently."""
import streamlit as st

from organising.cycle.leaders import STAGES, build_pipeline, duplicates_table, pipeline_table
from ui.data import all_tabs
from ui.formview import prefill_form, render_form
from ui.problems import show_problems
from ui.session import config, require_page
from ui.tables import shown_as

user = require_page(__file__)
cfg = config()
role_form = cfg.forms["leader_role"]
pipeline = build_pipeline(all_tabs(), cfg.forms)

st.title("Leader pipeline")
cards = st.columns(len(STAGES))
for card, (stage, label) in zip(cards, STAGES.items()):
    card.metric(label, pipeline.reached(stage), border=True)
st.caption(f"**{pipeline.trained()}** different people have been to a training. The funder report's "
           "'community leaders identified and developed' counts the same people, within each programme's years."
           + (f" {pipeline.unnamed_spotted} more potential leaders were spotted in 1:1s without a name, so they "
              "cannot be followed up." if pipeline.unnamed_spotted else ""))

stages = st.multiselect("Stage", options=list(STAGES), format_func=STAGES.get, placeholder="Every stage")
shown = [p for p in pipeline.leaders if not stages or p.stage in stages]
if shown:
    st.dataframe(pipeline_table(shown, role_form), hide_index=True, width="stretch")
else:
    st.info("Nobody at this stage yet. People appear here when a 1:1 flags them as a potential leader.")

st.subheader("Possible duplicates")
merge_form = cfg.forms["person_merge"]
if not pipeline.duplicates:
    st.success("No likely duplicates among these people.")
else:
    st.caption("These may be one person written two ways. Nothing is merged until you record it below.")
    st.dataframe(duplicates_table(pipeline.duplicates), hide_index=True, width="stretch")
    pair = st.selectbox("Merge which?", options=range(len(pipeline.duplicates)), index=None,
                        format_func=shown_as({i: f"{d.merge.name} into {d.keep.name}"
                                              for i, d in enumerate(pipeline.duplicates)}),
                        placeholder="Choose a pair…")
    if st.button("Prepare this merge", disabled=pair is None):
        chosen = pipeline.duplicates[pair]
        prefill_form(merge_form, {"keep_name": chosen.keep.name, "keep_institution": chosen.keep.institution,
                                  "merge_name": chosen.merge.name, "merge_institution": chosen.merge.institution})
show_problems(pipeline.problems)
render_form(merge_form, user)
