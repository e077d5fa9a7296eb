# mhqa server image: the OpenAI-compatible API and the chat page on port 8000 (CPU only).
#
#   docker build -t mhqa .
#   docker run --rm -p 8000:8000 -v "$PWD/runs:/home/mhqa/app/runs:ro" mhqa
#   docker run --rm -p 8000:8000 -e MHQA_API_KEY=change-me mhqa --run runs/my-run
#
# Without a mounted run the server answers with the built-in base model. User messages are never
# written anywhere; mount runs read-only.

# --- build: wheels for everything, incl. llama-cpp-python, which compiles from source -----------------
FROM python:3.11-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake git \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN pip install --no-cache-dir --upgrade pip wheel \
 && pip wheel --no-cache-dir --wheel-dir /wheels torch --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY src ./src
RUN CMAKE_ARGS="-DGGML_NATIVE=OFF" pip wheel --no-cache-dir --wheel-dir /wheels --find-links /wheels \
      --extra-index-url https://download.pytorch.org/whl/cpu .

# --- runtime ------------------------------------------------------------------------------------
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 mhqa
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels mhqa && rm -rf /wheels

USER mhqa
WORKDIR /home/mhqa/app
ENV PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    MHQA_CACHE_DIR=/home/mhqa/.cache/mhqa
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"
ENTRYPOINT ["mhqa", "serve", "--host", "0.0.0.0", "--port", "8000"]
