"""The app's pages: one blueprint per audience or concern, registered here."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every blueprint (after `params.init_app`: the routes use its `<int:...>`)."""
    from learn.admin import bp as admin_bp
    from learn.auth.views import bp as auth_bp
    from learn.badges.views import bp as badges_bp
    from learn.evidence.referentiels import bp as referentiels_bp
    from learn.evidence.views import bp as evidence_bp
    from learn.learner import workplace  # noqa: F401  (registers its routes on learner_bp)
    from learn.learner.views import bp as learner_bp
    from learn.main.views import bp as main_bp
    from learn.reading.views import bp as reading_bp
    from learn.trainer import bp as trainer_bp
    from learn.tutor.views import bp as tutor_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(trainer_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(learner_bp)
    app.register_blueprint(reading_bp)
    app.register_blueprint(badges_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(tutor_bp)
    app.register_blueprint(referentiels_bp)
