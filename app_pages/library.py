import streamlit as st

from app_pages import ui

st.title("Exercise library")
st.caption(
    "The home programme for low-back pain: gentle stretches and a core exercise, three times "
    "a day while your back hurts and once a day when the pain has gone. Stop any exercise "
    "that makes your pain worse."
)
library = ui.library()
for exercise in library.exercises:
    with st.container(border=True):
        ui.exercise_card(exercise, stats=None)
