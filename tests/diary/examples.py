"""The documented diary exchange example (README, "The diary exchange format")."""

EXAMPLE = {
    "format": "night-cramp-diary",
    "version": 1,
    "profile": {
        "venous_disease": True,
        "peripheral_artery_disease": False,
        "pregnant": False,
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
