import streamlit as st

st.title("Screening")
