import streamlit as st

from app_pages import state, views

st.title("Exercise library")
st.caption(
    "The home programme for low-back pain: gentle stretches and a core exercise, three times "
    "a day while your back hurts and once a day when the pain has gone. Stop any exercise "
    "that makes your pain worse."
)
library = state.library()
for exercise in library.exercises:
    with st.container(border=True):
        views.exercise_card(exercise, stats=None)
