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

# Prose reads as text, not in a grid: on a phone a table's cells cut sentences short.
st.subheader("The rules")
for described in rules(settings).values():
    with st.container(border=True):
        st.markdown(f"**{described.title}**  \n{described.text}")
        st.caption(f"Source: {described.source}")

st.subheader("Red-flag symptoms")
st.markdown("\n".join(f"- {line}" for line in red_flag_lines()))
st.caption(f"Sources: {RED_FLAG_SOURCE}.")

st.subheader("Thresholds in use")
with st.expander("Every setting, its value and what it means", icon=":material/tune:"):
    st.markdown(
        "\n".join(
            f"- **{field.description or name}** `{name} = {getattr(settings, name)}`"
            for name, field in type(settings).model_fields.items()
        )
    )
