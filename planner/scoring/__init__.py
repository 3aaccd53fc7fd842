"""The model package: who is likely to enrol when invited, and who enrols *because of* an
invitation (uplift). One job a module, each importing only those listed before it:

- ``features``: the one feature builder for training and scoring, ``FeatureSpec``, leakage check.
- ``estimators``: the candidate estimators, the smoothed-rates baseline, ranking metrics.
- ``validation``: the training data and the grouped and time-ordered validation.
- ``calibration``: size-class and uplift recalibration, with bootstrap members.
- ``propensity``: each contact's chance of having been invited; overlap.
- ``uplift``: the T-, X- and DR-learners and the Qini curve.
- ``reasons``: reason codes, from a surrogate of the model (``Explainer``).
- ``notes``: the model card in words.
- ``registry``: where models live, their cards, the active version.
- ``files``: skops files, SHA-256 verification, the allowed types.
- ``training``: fit, write and record a model.
- ``batch``: chunked scoring of every open business into ``scores``.

``from planner import scoring; scoring.train(...)`` keeps working: the names in ``__all__``
are the package's public API.

The enrolment model:

Learns from ``contacts`` (invited businesses) joined to ``businesses``, every column
included (extra import columns arrive as the ``attributes`` JSON). The estimator is a
scikit-learn Pipeline of an OrdinalEncoder and a HistGradientBoostingClassifier with
native categorical splits, wrapped in isotonic calibration.

Validation matches use: folds grouped by regency (the model is used on businesses in
places it has not seen contacts from) and a time-ordered 80/20 split (it is used on the
next campaign, not a shuffled past). Both are reported next to a baseline of smoothed
region x sector enrolment rates.

Models are saved with skops (``models/<version>.skops``) next to a JSON model card,
never plain pickle. ``train`` records the SHA-256 of every file it writes in
``model_runs.files``; loading refuses a file whose hash differs from that record, and
then any file holding a type outside ``MODEL_TYPES`` (the exact types Jangkau's own
pipelines contain), before anything in it is built. With fewer than
``MIN_LABELLED`` labelled contacts, or only one outcome, training falls back to the
smoothed rates and says so.
"""

from planner.scoring.batch import (  # noqa: F401
    scored_count,
    SCORE_CHUNK,
    ScoreRun,
    export_scores,
    retrain_and_score,
    score_all,
    scoring_workers,
)
from planner.scoring.estimators import (  # noqa: F401
    CANDIDATES,
    DEFAULT_CANDIDATE,
    FEW_VALUES,
    PRIOR_WEIGHT,
    RateModel,
    build_model,
    build_pipeline,
    evaluate,
    few_valued_columns,
    lift_at,
)
from planner.scoring.features import (  # noqa: F401
    BUSINESS_COLUMNS,
    FeatureSpec,
    MISSING_NUMBER,
    SEED,
    as_category,
    as_number,
    attribute_sql,
    business_rows,
    check_leakage,
    choose_features,
    contact_rows,
    feature_frame,
    model_input,
    snapshot_new_contacts,
)
from planner.scoring.files import (  # noqa: F401
    MODEL_PARTIAL_FUNCTIONS,
    MODEL_TYPES,
    load_model,
    load_uplift,
    model_file_types,
    recorded_files,
)
from planner.scoring.notes import (  # noqa: F401
    choice_note,
    overlap_note,
    reasons_note,
    uplift_note,
    uplift_reason,
)
from planner.scoring.reasons import (  # noqa: F401
    Explainer,
    MAX_BINS,
    REASON_CATEGORIES,
    REASON_FEATURES,
    REASON_LANGS,
)
from planner.scoring.registry import (  # noqa: F401
    MODELS_DIR,
    activate,
    active_version,
    card_of,
    compare_versions,
    list_models,
    models_home,
    previous_version,
)
from planner.scoring.training import (  # noqa: F401
    Fitted,
    MIN_LABELLED,
    TrainResult,
    exclude_columns,
    excluded_columns,
    fit_models,
    train,
)
from planner.scoring.uplift import (  # noqa: F401
    predict_uplift,
)
from planner.scoring.validation import (  # noqa: F401
    EXCLUDED_COLUMNS,
    TrainingData,
    compare_candidates,
    cross_validate,
    training_data,
)

__all__ = [
    "BUSINESS_COLUMNS",
    "FeatureSpec",
    "MISSING_NUMBER",
    "SEED",
    "as_category",
    "as_number",
    "attribute_sql",
    "business_rows",
    "check_leakage",
    "choose_features",
    "contact_rows",
    "feature_frame",
    "model_input",
    "snapshot_new_contacts",
    "CANDIDATES",
    "DEFAULT_CANDIDATE",
    "FEW_VALUES",
    "PRIOR_WEIGHT",
    "RateModel",
    "build_model",
    "build_pipeline",
    "evaluate",
    "few_valued_columns",
    "lift_at",
    "EXCLUDED_COLUMNS",
    "TrainingData",
    "compare_candidates",
    "cross_validate",
    "training_data",
    "predict_uplift",
    "Explainer",
    "MAX_BINS",
    "REASON_CATEGORIES",
    "REASON_FEATURES",
    "REASON_LANGS",
    "choice_note",
    "overlap_note",
    "reasons_note",
    "uplift_note",
    "uplift_reason",
    "MODELS_DIR",
    "activate",
    "active_version",
    "card_of",
    "compare_versions",
    "list_models",
    "models_home",
    "previous_version",
    "MODEL_PARTIAL_FUNCTIONS",
    "MODEL_TYPES",
    "load_model",
    "load_uplift",
    "model_file_types",
    "recorded_files",
    "Fitted",
    "MIN_LABELLED",
    "TrainResult",
    "exclude_columns",
    "excluded_columns",
    "fit_models",
    "train",
    "SCORE_CHUNK",
    "ScoreRun",
    "export_scores",
    "retrain_and_score",
    "score_all",
    "scored_count",
    "scoring_workers",
]
