"""The documented diary exchange example (the format's documentation, version 3), and the same
diary as the older versions wrote it."""

EXAMPLE = {
    "format": "night-cramp-diary",
    "version": 3,
    "profile": {
        "venous_disease": True,
        "peripheral_artery_disease": False,
        "pregnant": False,
        "pregnancy_date": None,
        "kidney_disease": False,
        "heart_failure": False,
        "medications": ["statin"],
        "date_of_birth": "1948-03-01",
        "time_zone": "Europe/London",
    },
    "nights": [
        {
            "night": "2026-11-20",
            "sleep_quality": 2,
            "times_woken": 1,
            "daytime_impairment": "moderate",
            "prevention": ["fluids"],
            "symptoms": [],
            "red_flags": [],
            "toxin_exposure": False,
            "toxin_substance": "",
            "notes": "",
            "cramps": [
                {
                    "muscle": "calf",
                    "side": "left",
                    "duration_minutes": 4,
                    "severity": 7,
                    "woke": True,
                    "remedies": ["flex_foot", "massage"],
                    "relief": "some",
                }
            ],
        },
        {"night": "2026-11-21", "cramps": []},
    ],
}

# The same diary as a version 2 file: no heart failure (nor any symptom of rules v3).
EXAMPLE_V2 = {
    **EXAMPLE,
    "version": 2,
    "profile": {key: value for key, value in EXAMPLE["profile"].items() if key != "heart_failure"},
}

# The same diary as a version 1 file: none of the answers that version 2 added.
EXAMPLE_V1 = {
    "format": "night-cramp-diary",
    "version": 1,
    "profile": {
        "venous_disease": True,
        "peripheral_artery_disease": False,
        "pregnant": False,
        "date_of_birth": "1948-03-01",
        "time_zone": "Europe/London",
    },
    "nights": [
        {key: value for key, value in night.items() if key != "red_flags"}
        for night in EXAMPLE["nights"]
    ],
}
