FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --create-home --uid 1000 polmas
COPY . .
# Editable, so that templates, static files and the catalogue are found beside the code.
RUN pip install --no-cache-dir -c requirements.lock -e . \
 && DJANGO_DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
 && mkdir -p /app/media /app/private-media \
 && chown polmas /app/media /app/private-media
# Residents' photos (issues.models.private_storage), outside MEDIA_ROOT. A new named volume
# mounted here starts as a copy of this folder, owner included, so the runtime user can write.
ENV PRIVATE_MEDIA_ROOT=/app/private-media

USER polmas
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
