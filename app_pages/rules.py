import pandas as pd
import streamlit as st

from app_pages import state
from rehab.disclaimer import RED_FLAG_SOURCE, red_flag_lines
from rehab.settings import rules

st.title("Rules and sources")
st.caption(
    "Every number the dashboard shows comes from one of these rules. The thresholds are the "
    "defaults of one settings model; a clinic can change them."
)
settings = state.settings()
table = pd.DataFrame(
    [{"Rule": r.title, "What it says": r.text, "Source": r.source} for r in rules(settings).values()]
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"What it says": st.column_config.TextColumn(width="large")},
)

st.subheader("Red-flag symptoms")
st.markdown("\n".join(f"- {line}" for line in red_flag_lines()))
st.caption(f"Sources: {RED_FLAG_SOURCE}.")

st.subheader("Thresholds in use")
st.dataframe(
    pd.DataFrame(
        [
            {"Setting": name, "Value": getattr(settings, name), "Meaning": field.description}
            for name, field in type(settings).model_fields.items()
        ]
    ),
    hide_index=True,
    width="stretch",
)
