"""Which provider each LiteLLM `litellm_provider` value and key prefix is, in our canonical ids (models.dev's)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderRoute:
    """How a LiteLLM provider's keys map onto our provider routes."""

    provider: str | None
    name: str | None = None  # display name, only for providers our registry (data/providers.yaml) lacks
    prefixes: tuple[str, ...] = ()  # key prefixes that route to it besides its LiteLLM name
    conditions: tuple[str, ...] = ()  # a second API of a provider: its prices are variants of the first's
    region_paths: bool = False  # keys may carry a region or API path: `bedrock/us-east-1/…`, `azure/eu/…`
    path_providers: tuple[tuple[str, ProviderRoute], ...] = ()  # a path segment that names another provider

    def all_prefixes(self, litellm_provider: str) -> tuple[str, ...]:
        return (litellm_provider, *self.prefixes)


_VERTEX = ProviderRoute("google-vertex", prefixes=("vertex_ai",))
# `bedrock/claude_platform/…` is the Claude Platform on AWS: Anthropic's own API billed through AWS.
_CLAUDE_PLATFORM = (("claude_platform", ProviderRoute("claude-platform-aws", "Claude Platform on AWS")),)

# Every LiteLLM provider with chat, responses or completion models (litellm 1.81.0 and 1.110.2).
# A provider not listed keeps its LiteLLM name as id (lowercase, `_` -> `-`).
PROVIDERS: dict[str, ProviderRoute] = {
    # first-party labs
    "openai": ProviderRoute("openai"),
    "text-completion-openai": ProviderRoute("openai"),
    "chatgpt": ProviderRoute("chatgpt", "ChatGPT (subscription sign-in)"),
    "anthropic": ProviderRoute("anthropic"),
    "gemini": ProviderRoute("google"),
    "palm": ProviderRoute("google"),
    "mistral": ProviderRoute("mistral"),
    "codestral": ProviderRoute("codestral", "Mistral Codestral endpoint"),
    "text-completion-codestral": ProviderRoute("codestral", "Mistral Codestral endpoint"),
    "xai": ProviderRoute("xai"),
    "deepseek": ProviderRoute("deepseek"),
    "cohere": ProviderRoute("cohere"),
    "cohere_chat": ProviderRoute("cohere"),
    "perplexity": ProviderRoute("perplexity"),
    "inception": ProviderRoute("inception"),
    "text-completion-inception": ProviderRoute("inception"),
    "minimax": ProviderRoute("minimax"),
    "moonshot": ProviderRoute("moonshotai"),
    "zai": ProviderRoute("zai"),
    "bigmodel": ProviderRoute("zhipuai"),
    # Alibaba: QwenCloud is Model Studio international, `dashscope/` its legacy alias (LiteLLM docs,
    # providers/qwencloud); the Qwen AI Platform is mainland China.
    "qwencloud": ProviderRoute("alibaba"),
    "dashscope": ProviderRoute("alibaba", conditions=("api:dashscope",)),
    "qwen_ai_platform": ProviderRoute("alibaba-cn"),
    "meta_llama": ProviderRoute("llama"),
    "meta": ProviderRoute("meta"),
    "amazon_nova": ProviderRoute("nova", prefixes=("amazon-nova",)),
    "xiaomi_mimo": ProviderRoute("xiaomi"),
    "sarvam": ProviderRoute("sarvam"),
    "morph": ProviderRoute("morph"),
    "v0": ProviderRoute("v0"),
    "abliteration": ProviderRoute("abliteration-ai"),
    "ai21": ProviderRoute("ai21", "AI21 Labs"),
    "aleph_alpha": ProviderRoute("aleph-alpha", "Aleph Alpha"),
    "gigachat": ProviderRoute("gigachat", "GigaChat (Sber)"),
    "cognition": ProviderRoute("cognition", "Cognition (Windsurf)"),
    # clouds
    "azure": ProviderRoute("azure", region_paths=True),
    "azure_text": ProviderRoute("azure", prefixes=("azure",), region_paths=True),
    "azure_ai": ProviderRoute("azure", conditions=("api:azure_ai",), region_paths=True),
    "bedrock": ProviderRoute("amazon-bedrock", region_paths=True, path_providers=_CLAUDE_PLATFORM),
    "bedrock_converse": ProviderRoute(
        "amazon-bedrock", prefixes=("bedrock",), region_paths=True, path_providers=_CLAUDE_PLATFORM
    ),
    "bedrock_mantle": ProviderRoute("amazon-bedrock", conditions=("api:bedrock_mantle",), region_paths=True),
    "sagemaker": ProviderRoute("amazon-sagemaker", "Amazon SageMaker"),
    "vertex_ai": _VERTEX,
    "vertex_ai-anthropic_models": ProviderRoute("google-vertex-anthropic", prefixes=("vertex_ai",)),
    "databricks": ProviderRoute("databricks"),
    "cloudflare": ProviderRoute("cloudflare-workers-ai"),
    "gradient_ai": ProviderRoute("digitalocean"),  # DigitalOcean Gradient AI
    "ovhcloud": ProviderRoute("ovhcloud"),
    "scaleway": ProviderRoute("scaleway"),
    "nebius": ProviderRoute("nebius"),
    "gmi": ProviderRoute("gmicloud"),
    "oci": ProviderRoute("oci", "Oracle Cloud Infrastructure Generative AI"),
    "watsonx": ProviderRoute("watsonx", "IBM watsonx.ai"),
    "snowflake": ProviderRoute("snowflake", "Snowflake Cortex"),
    "heroku": ProviderRoute("heroku", "Heroku Managed Inference"),
    "volcengine": ProviderRoute("volcengine", "Volcano Engine Ark (ByteDance)"),
    "tencent": ProviderRoute("tencent", "Tencent Cloud"),
    "streamlake": ProviderRoute("streamlake", "StreamLake (Kuaishou)"),
    "lambda_ai": ProviderRoute("lambda", "Lambda"),
    "nscale": ProviderRoute("nscale", "Nscale"),
    "crusoe": ProviderRoute("crusoe", "Crusoe Cloud"),
    # inference hosts
    "together_ai": ProviderRoute("togetherai"),
    "fireworks_ai": ProviderRoute("fireworks-ai"),
    "deepinfra": ProviderRoute("deepinfra"),
    "groq": ProviderRoute("groq"),
    "cerebras": ProviderRoute("cerebras"),
    "baseten": ProviderRoute("baseten"),
    "novita": ProviderRoute("novita-ai"),
    "friendliai": ProviderRoute("friendli"),
    "wandb": ProviderRoute("wandb"),
    "nvidia_nim": ProviderRoute("nvidia"),
    "sambanova": ProviderRoute("sambanova", "SambaNova Cloud"),
    "hyperbolic": ProviderRoute("hyperbolic", "Hyperbolic"),
    "replicate": ProviderRoute("replicate", "Replicate"),
    "anyscale": ProviderRoute("anyscale", "Anyscale Endpoints"),
    "nlp_cloud": ProviderRoute("nlp-cloud", "NLP Cloud"),
    "featherless_ai": ProviderRoute("featherless-ai", "Featherless AI"),
    "publicai": ProviderRoute("publicai", "Public AI"),
    "fal_ai": ProviderRoute("fal", "fal"),
    "ollama": ProviderRoute("ollama", "Ollama (local)"),
    "lemonade": ProviderRoute("lemonade", "Lemonade (local)"),
    "aiand": ProviderRoute("aiand", "AIand"),
    "coralbricks": ProviderRoute("coralbricks", "Coral Bricks"),
    "darkbloom": ProviderRoute("darkbloom", "Darkbloom"),
    "empiriolabs": ProviderRoute("empiriolabs", "Empirio Labs"),
    "inferenceapis": ProviderRoute("inferenceapis", "InferenceAPIs"),
    "libertai": ProviderRoute("libertai", "LibertAI"),
    "llamagate": ProviderRoute("llamagate", "LlamaGate"),
    "openinfer": ProviderRoute("openinfer", "OpenInfer"),
    "pinstripes": ProviderRoute("pinstripes", "Pinstripes"),
    "prism": ProviderRoute("prism", "Prism Inference"),
    "refuseless": ProviderRoute("refuseless", "Refuseless"),
    "sail": ProviderRoute("sail", "Sail Research"),
    "scaledown": ProviderRoute("scaledown", "ScaleDown"),
    "scx-ai": ProviderRoute("scx-ai", "SCX.ai"),
    "tensormesh": ProviderRoute("tensormesh", "TensorMesh"),
    "wally": ProviderRoute("wally", "Wally"),
    "zerogpu": ProviderRoute("zerogpu", "ZeroGPU"),
    # routers and gateways
    "openrouter": ProviderRoute("openrouter"),
    "vercel_ai_gateway": ProviderRoute("vercel"),
    "github_copilot": ProviderRoute("github-copilot"),
    "opencode_go": ProviderRoute("opencode-go"),
    "aihubmix": ProviderRoute("aihubmix"),
    "huggingface": ProviderRoute("huggingface"),
    "kyma": ProviderRoute("kyma", "Kyma"),
    "clf_ai_gateway": ProviderRoute("clf-ai-gateway", "CLF AI Gateway"),
    "hostinger_router": ProviderRoute("hostinger", "Hostinger AI Router"),
    "microsoft_365_copilot": ProviderRoute("microsoft-365-copilot", "Microsoft 365 Copilot"),
}

# AWS regions (`us-gov-west-1`) and Azure data zones / deployment types (`eu`, `global-standard`).
REGION_SEGMENT = re.compile(r"^([a-z]{2}(-gov)?-[a-z]+-\d|us|eu|apac|global|global-standard|us-gov|data-zone)$")
# LiteLLM's prices by parameter count, for models it does not list (`together-ai-21.1b-41b`).
KEY_BUCKET = re.compile(r"^(together-ai|fireworks-ai)-")
_ID = re.compile(r"[^a-z0-9.-]+")


def resolve_provider(litellm_provider: str) -> ProviderRoute:
    """The table's entry; Vertex's per-publisher names (`vertex_ai-mistral_models`) are Vertex; any
    other name becomes its own provider id."""
    if litellm_provider in PROVIDERS:
        return PROVIDERS[litellm_provider]
    if litellm_provider.startswith("vertex_ai"):
        return _VERTEX
    pid = _ID.sub("-", litellm_provider.lower().replace("_", "-")).strip("-.")
    return ProviderRoute(pid or None, litellm_provider)
