"""Code systems and codes the FHIR export writes and the import reads, declared once.

LOINC and UCUM are the standard systems; the Physical Activity IG's category code comes from
its temporary code system; everything rehab invented lives under ``urn:rehab:`` (see
``docs/fhir.md``).
"""

from __future__ import annotations

from typing import Final

LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
# HL7 Physical Activity IG (STU 1), CodeSystem pa-temporary-codes: its "PhysicalActivity"
# category marks every physical activity observation of the guide.
PA_TEMPORARY: Final = "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes"
FLAG_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/flag-category"

# rehab's own systems (URNs: nothing to resolve, nothing that looks like a web page).
PATIENT_ID: Final = "urn:rehab:patient-id"
EXERCISE: Final = "urn:rehab:exercise"
COMPONENT: Final = "urn:rehab:observation-component"
RULE: Final = "urn:rehab:rule"
MEASURE: Final = "urn:rehab:measure"
QUESTIONNAIRE: Final = "urn:rehab:questionnaire:"
SOURCE_ROW: Final = "urn:rehab:source-row"

# LOINC codes.
PAIN_NRS: Final = "72514-3"
PAIN_NRS_DISPLAY: Final = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PAIN_REPORTED: Final = "38208-5"
PAIN_CODES: Final = frozenset({PAIN_NRS, PAIN_REPORTED})
EXERCISE_ACTIVITY: Final = "73985-4"
EXERCISE_ACTIVITY_DISPLAY: Final = "Exercise activity"
# Oswestry: LOINC 97909-6 "Oswestry disability index score ODI" (as the PACIO sample-data IG's
# ODI Questionnaire codes its score item). No LOINC code was confirmed for the others: they get
# rehab's measure system until one is.
MEASURE_LOINC: Final = {
    "odi": ("97909-6", "Oswestry disability index score ODI"),
    "pain_nrs": (PAIN_NRS, PAIN_NRS_DISPLAY),
}

# Observation.component codes (system COMPONENT) of an exercise session and a pain entry.
SESSION_NUMBERS: Final = {
    "sets": ("sets", "Sets done", "{sets}"),
    "reps": ("reps", "Repetitions done", "{repetitions}"),
    "hold_seconds": ("hold-seconds", "Seconds each repetition was held", "s"),
    "pain_before": ("pain-before", "Pain just before the exercise (0-10)", "{score}"),
    "pain_after": ("pain-after", "Pain just after the exercise (0-10)", "{score}"),
}
FLAGS: Final = {
    "flare": ("flare", "The patient calls this a flare-up"),
    "red_flag": ("red-flag", "The patient marked a red-flag symptom"),
}
SCORE_COLUMNS: Final = frozenset({"pain", "pain_before", "pain_after"})
