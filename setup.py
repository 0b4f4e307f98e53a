"""The wheel's layout (the metadata is in pyproject.toml): the `learn` package, with the top-level
static/, migrations/ and content/ shipped inside it as learn/static, learn/migrations and
learn/content, so that an installed Parcours finds them through its package (`learn.config.shipped`)
while a source checkout keeps them at its top level."""

from setuptools import find_packages, setup

SHIPPED = ("static", "migrations", "content")

setup(
    packages=find_packages(include=["learn", "learn.*"]) + [f"learn.{name}" for name in SHIPPED],
    package_dir={f"learn.{name}": name for name in SHIPPED},
    package_data={
        "learn": [
            "templates/**/*",
            "translations/**/*",
            "services/*.txt",
            "credentials/contexts/*",
        ],
        **{f"learn.{name}": ["**/*"] for name in SHIPPED},
    },
    exclude_package_data={"": ["*.pyc"]},
)
