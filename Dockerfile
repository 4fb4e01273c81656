# Production image: gunicorn serves the app, WhiteNoise the static files. The user's home is
# var/ (its own), where gunicorn, matplotlib and fontconfig keep their sockets and caches.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# Collected as production serves them (DEBUG off: hashed names and their manifest); the
# key and host are stand-ins for this step only, the container gets its own.
RUN SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
 && useradd --system --home-dir /app/var lotsen && mkdir -p var && chown -R lotsen var
USER lotsen
EXPOSE 8000
CMD ["gunicorn", "lotsen.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
