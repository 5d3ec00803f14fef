/**
 * The technology catalog: how people write each technology (aliases), what it is (kind), the
 * topical area it belongs to, and the files that betray it (globs). Data only; matching lives in
 * catalog-matcher.ts. This file is long because it is a table, not because it does much.
 *
 * Conventions:
 * - `id` is the canonical lower-case name and the first keyword emitted.
 * - `aliases` are matched case-insensitively on whole tokens (see text.ts `tokenize`).
 * - `exact` spellings are matched case-sensitively: for names that are also English words
 *   ("Go", "React", "Express", "Spring"). When the id is one of them (or a letter: "c", "r"),
 *   the id is not matched loosely.
 * - `keywords` are what people type to ask for it (default: the id); `globs` are picomatch globs.
 * - `globsFromName` withholds the globs unless the agent's name names the entry.
 * - `implies` adds a weaker mention of another entry (Django implies Python).
 */

export type TechKind = 'language' | 'framework' | 'tool' | 'platform' | 'database' | 'domain';

export interface TechEntry {
  id: string;
  kind: TechKind;
  area: string;
  aliases?: string[];
  exact?: string[];
  keywords?: string[];
  globs?: string[];
  regex?: string[];
  implies?: string[];
  /** Globs only when the agent's name names it: clouds are mentioned by every infra brief. */
  globsFromName?: boolean;
}

type Extra = Omit<TechEntry, 'id' | 'kind' | 'area'>;
const entry =
  (kind: TechKind) =>
  (id: string, area: string, extra: Extra = {}): TechEntry => ({ id, kind, area, ...extra });
const lang = entry('language');
const fw = entry('framework');
const tool = entry('tool');
const plat = entry('platform');
const db = entry('database');
const topic = entry('domain');

const JS_GLOBS = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'];
const TS_GLOBS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

export const CATALOG: readonly TechEntry[] = [
  // ── Languages ──────────────────────────────────────────────────────────────
  lang('python', 'backend', {
    keywords: ['python', 'python script', 'asyncio', 'type hint', 'pip'],
    aliases: ['python3', 'py'],
    globs: ['**/*.py', '**/pyproject.toml', '**/requirements*.txt'],
  }),
  lang('typescript', 'frontend', {
    keywords: ['typescript', 'type error', 'generic type', 'tsconfig', 'type inference'],
    aliases: ['ts'],
    globs: TS_GLOBS.concat('**/tsconfig*.json'),
  }),
  lang('javascript', 'frontend', { aliases: ['js', 'ecmascript', 'es6', 'es2023'], globs: JS_GLOBS }),
  lang('go', 'backend', {
    aliases: ['golang'],
    exact: ['Go'],
    keywords: ['golang', 'goroutine', 'go module', 'go service'],
    globs: ['**/*.go', '**/go.mod'],
  }),
  lang('rust', 'systems', {
    aliases: ['rustlang'],
    keywords: ['rust', 'cargo', 'borrow checker', 'lifetime', 'crate'],
    globs: ['**/*.rs', '**/Cargo.toml'],
  }),
  lang('java', 'backend', {
    keywords: ['java', 'jvm', 'maven', 'garbage collection', 'heap dump'],
    globs: ['**/*.java', '**/pom.xml', '**/build.gradle'],
  }),
  lang('kotlin', 'mobile', { keywords: ['kotlin', 'coroutine', 'jetpack compose', 'kmp'], globs: ['**/*.kt', '**/*.kts'] }),
  lang('scala', 'backend', { globs: ['**/*.scala', '**/*.sc', '**/build.sbt'] }),
  lang('c#', 'backend', { aliases: ['csharp', 'c sharp'], keywords: ['c#', 'csharp', 'linq'], globs: ['**/*.cs', '**/*.csproj'] }),
  lang('f#', 'backend', { aliases: ['fsharp'], globs: ['**/*.fs', '**/*.fsproj'] }),
  lang('c++', 'systems', {
    aliases: ['cpp', 'cplusplus', 'c++20', 'c++23', 'c++17'],
    keywords: ['c++', 'cpp', 'cmake', 'undefined behavior', 'template metaprogramming'],
    globs: ['**/*.cpp', '**/*.cc', '**/*.cxx', '**/*.hpp', '**/*.hh', '**/CMakeLists.txt'],
  }),
  lang('c', 'systems', {
    exact: ['C', 'ANSI C', 'C99', 'C11'],
    keywords: ['c programming', 'c language', 'malloc', 'kernel module', 'pointer'],
    globs: ['**/*.c', '**/*.h', '**/Makefile'],
  }),
  lang('php', 'backend', { keywords: ['php', 'composer'], globs: ['**/*.php', '**/composer.json'] }),
  lang('ruby', 'backend', { globs: ['**/*.rb', '**/Gemfile', '**/*.gemspec'] }),
  lang('swift', 'mobile', {
    exact: ['Swift'],
    aliases: ['swiftlang'],
    keywords: ['swift', 'swiftui', 'xcode', 'ios app'],
    globs: ['**/*.swift', '**/Package.swift'],
  }),
  lang('objective-c', 'mobile', { aliases: ['objc', 'objective c'], globs: ['**/*.m', '**/*.mm'] }),
  lang('dart', 'mobile', { exact: ['Dart'], keywords: ['dart'], globs: ['**/*.dart', '**/pubspec.yaml'] }),
  lang('elixir', 'backend', { keywords: ['elixir', 'phoenix', 'genserver', 'liveview'], globs: ['**/*.ex', '**/*.exs', '**/mix.exs'] }),
  lang('erlang', 'backend', { globs: ['**/*.erl', '**/*.hrl'] }),
  lang('haskell', 'backend', { globs: ['**/*.hs', '**/*.cabal'] }),
  lang('julia', 'data', { exact: ['Julia'], keywords: ['julia'], globs: ['**/*.jl', '**/Project.toml'] }),
  lang('r', 'data', {
    aliases: ['tidyverse'],
    exact: ['R language', 'R programming', 'RStudio'],
    keywords: ['r language', 'tidyverse'],
    globs: ['**/*.R', '**/*.Rmd'],
  }),
  lang('lua', 'backend', { globs: ['**/*.lua'] }),
  lang('perl', 'backend', { globs: ['**/*.pl', '**/*.pm'] }),
  lang('clojure', 'backend', { globs: ['**/*.clj', '**/*.cljs', '**/*.edn'] }),
  lang('ocaml', 'backend', { globs: ['**/*.ml', '**/*.mli'] }),
  lang('zig', 'systems', { globs: ['**/*.zig'] }),
  lang('solidity', 'blockchain', { globs: ['**/*.sol'] }),
  lang('sql', 'databases', {
    aliases: ['t-sql', 'tsql', 'pl/sql', 'plpgsql'],
    keywords: ['sql', 'sql query', 'query plan', 'join', 'stored procedure'],
    globs: ['**/*.sql'],
  }),
  lang('bash', 'devops', {
    aliases: ['shell script', 'shell scripting', 'shell scripts', 'zsh', 'sh'],
    keywords: ['bash', 'shell script', 'shellcheck', 'sh script'],
    globs: ['**/*.sh', '**/*.bash'],
  }),
  lang('posix shell', 'devops', { aliases: ['posix sh', 'posix'], keywords: ['posix shell', 'shell script'], globs: ['**/*.sh'] }),
  lang('powershell', 'devops', {
    keywords: ['powershell', 'ps1', 'cmdlet', 'pester'],
    aliases: ['pwsh', 'ps1'],
    globs: ['**/*.ps1', '**/*.psm1', '**/*.psd1'],
  }),
  lang('html', 'frontend', { aliases: ['html5'], globs: ['**/*.html'] }),
  lang('css', 'frontend', { aliases: ['css3', 'scss', 'sass', 'less css'], globs: ['**/*.css', '**/*.scss', '**/*.sass'] }),
  lang('graphql', 'backend', {
    aliases: ['gql'],
    keywords: ['graphql', 'resolver', 'graphql schema', 'apollo', 'n+1'],
    globs: ['**/*.graphql', '**/*.gql'],
  }),
  lang('assembly', 'systems', { aliases: ['asm', 'x86 assembly', 'arm assembly'], globs: ['**/*.s', '**/*.asm'] }),
  lang('vba', 'backend', { globs: ['**/*.bas', '**/*.vba'] }),
  lang('matlab', 'data', { globs: ['**/*.m'] }),
  // ── Frontend frameworks ────────────────────────────────────────────────────
  fw('react', 'frontend', {
    aliases: ['reactjs', 'react.js', 'react 18', 'react 19'],
    exact: ['React'],
    keywords: ['react', 'react component', 'jsx', 'react hook', 'useeffect'],
    globs: ['**/*.jsx', '**/*.tsx'],
    implies: ['javascript'],
  }),
  fw('next.js', 'frontend', {
    aliases: ['nextjs', 'next js', 'app router'],
    keywords: ['next.js', 'nextjs', 'app router', 'server component', 'server action'],
    globs: ['**/next.config.*', '**/app/**/page.tsx', '**/app/**/layout.tsx'],
    implies: ['react'],
  }),
  fw('vue', 'frontend', {
    aliases: ['vue.js', 'vuejs', 'vue 3', 'composition api', 'pinia'],
    keywords: ['vue', 'vue.js', 'pinia', 'composition api'],
    globs: ['**/*.vue'],
    implies: ['javascript'],
  }),
  fw('nuxt', 'frontend', { aliases: ['nuxt.js', 'nuxtjs', 'nuxt 3'], globs: ['**/nuxt.config.*'], implies: ['vue'] }),
  fw('angular', 'frontend', {
    aliases: ['angularjs', 'angular 15', 'ngrx'],
    keywords: ['angular', 'rxjs', 'ngrx', 'angular component', 'signals'],
    globs: ['**/*.component.ts', '**/angular.json'],
    implies: ['typescript'],
  }),
  fw('svelte', 'frontend', { aliases: ['sveltekit'], globs: ['**/*.svelte'] }),
  fw('solid.js', 'frontend', { aliases: ['solidjs'] }),
  fw('remix', 'frontend', { exact: ['Remix'] }),
  fw('astro', 'frontend', { exact: ['Astro'], globs: ['**/*.astro'] }),
  fw('tailwind', 'frontend', { aliases: ['tailwindcss', 'tailwind css'], keywords: ['tailwind'], globs: ['**/tailwind.config.*'] }),
  fw('redux', 'frontend', { aliases: ['redux toolkit', 'zustand'] }),
  fw('rxjs', 'frontend'),
  fw('jquery', 'frontend'),
  fw('webpack', 'frontend', { globs: ['**/webpack.config.*'] }),
  fw('vite', 'frontend', { globs: ['**/vite.config.*'] }),
  fw('storybook', 'frontend', { globs: ['**/*.stories.tsx', '**/*.stories.ts', '**/.storybook/**'] }),
  fw('three.js', 'frontend', { aliases: ['threejs', 'webgl'] }),
  fw('electron', 'desktop', {
    aliases: ['electron.js'],
    exact: ['Electron'],
    globs: ['**/electron-builder.*', '**/electron.vite.config.*'],
  }),
  fw('tauri', 'desktop'),
  fw('wordpress', 'web', {
    aliases: ['wp', 'gutenberg', 'woocommerce'],
    globs: ['**/wp-content/**', '**/functions.php'],
    implies: ['php'],
  }),
  // ── Backend frameworks ─────────────────────────────────────────────────────
  fw('node.js', 'backend', {
    aliases: ['nodejs', 'node js'],
    exact: ['Node'],
    keywords: ['node.js', 'nodejs'],
    globs: ['**/package.json'],
    implies: ['javascript'],
  }),
  fw('express', 'backend', { aliases: ['express.js', 'expressjs'], exact: ['Express'], implies: ['node.js'] }),
  fw('nestjs', 'backend', { aliases: ['nest.js'], implies: ['typescript'] }),
  fw('fastify', 'backend'),
  fw('deno', 'backend'),
  fw('bun', 'backend', { exact: ['Bun'] }),
  fw('django', 'backend', {
    keywords: ['django', 'django orm', 'drf', 'django admin', 'django migration'],
    aliases: ['django rest framework', 'drf'],
    globs: ['**/manage.py', '**/settings.py', '**/models.py', '**/views.py', '**/urls.py'],
    implies: ['python'],
  }),
  fw('fastapi', 'backend', { keywords: ['fastapi', 'pydantic', 'uvicorn', 'asgi'], aliases: ['fast api'], implies: ['python'] }),
  fw('flask', 'backend', { implies: ['python'] }),
  fw('pydantic', 'backend', { implies: ['python'] }),
  fw('sqlalchemy', 'databases', { implies: ['python'] }),
  fw('celery', 'backend', { implies: ['python'] }),
  fw('rails', 'backend', {
    aliases: ['ruby on rails', 'rails 7', 'rails 8', 'hotwire'],
    exact: ['Rails'],
    keywords: ['rails', 'ruby on rails', 'activerecord', 'rspec', 'sidekiq'],
    globs: ['**/config/routes.rb', '**/app/models/**/*.rb'],
    implies: ['ruby'],
  }),
  fw('laravel', 'backend', {
    keywords: ['laravel', 'eloquent', 'artisan', 'blade'],
    aliases: ['eloquent'],
    globs: ['**/artisan', '**/app/Http/**/*.php'],
    implies: ['php'],
  }),
  fw('symfony', 'backend', {
    aliases: ['doctrine orm', 'api platform'],
    globs: ['**/config/packages/*.yaml', '**/src/Controller/**/*.php'],
    implies: ['php'],
  }),
  fw('spring boot', 'backend', {
    aliases: ['spring framework', 'spring cloud', 'spring webflux', 'spring security'],
    exact: ['Spring'],
    keywords: ['spring boot', 'spring', 'jpa', 'hibernate'],
    globs: ['**/application.yml', '**/application.properties'],
    implies: ['java'],
  }),
  fw('asp.net', 'backend', {
    aliases: ['asp.net core', 'aspnet', 'blazor', 'entity framework', 'ef core'],
    keywords: ['asp.net', 'asp.net core'],
    implies: ['c#'],
  }),
  fw('.net', 'backend', {
    aliases: ['dotnet', '.net core', '.net framework', '.net 8'],
    keywords: ['.net', 'dotnet', 'nuget', 'entity framework'],
    globs: ['**/*.csproj', '**/*.sln', '**/*.cs'],
    implies: ['c#'],
  }),
  fw('phoenix', 'backend', { exact: ['Phoenix', 'LiveView'], implies: ['elixir'] }),
  fw('otp', 'backend', { exact: ['OTP', 'GenServer'], implies: ['elixir'] }),
  fw('grpc', 'backend', { aliases: ['protobuf', 'protocol buffers'], globs: ['**/*.proto'] }),
  fw('socket.io', 'backend', {
    aliases: ['socketio', 'websocket', 'websockets'],
    keywords: ['websocket', 'socket.io', 'real-time', 'live update'],
  }),
  fw('temporal', 'backend', { exact: ['Temporal'], keywords: ['temporal workflow', 'temporal'] }),
  fw('tokio', 'systems', { implies: ['rust'] }),
  fw('qt', 'desktop', { exact: ['Qt', 'QML'] }),
  fw('bukkit', 'games', {
    aliases: ['spigot', 'paper mc', 'minecraft'],
    keywords: ['minecraft', 'bukkit', 'spigot'],
    globs: ['**/plugin.yml'],
    implies: ['java'],
  }),
  fw('wpf', 'desktop', { aliases: ['winforms', 'windows forms', 'xaml'], globs: ['**/*.xaml'] }),
  // ── Mobile ────────────────────────────────────────────────────────────────
  fw('react native', 'mobile', { aliases: ['react-native'], keywords: ['react native'], implies: ['react'] }),
  fw('expo', 'mobile', { exact: ['Expo', 'EAS'], globs: ['**/app.json', '**/eas.json'] }),
  fw('flutter', 'mobile', {
    keywords: ['flutter', 'dart', 'widget', 'riverpod'],
    globs: ['**/*.dart', '**/pubspec.yaml'],
    implies: ['dart'],
  }),
  fw('swiftui', 'mobile', { aliases: ['uikit'], implies: ['swift'] }),
  fw('jetpack compose', 'mobile', { aliases: ['compose multiplatform'], implies: ['kotlin'] }),
  plat('ios', 'mobile', {
    aliases: ['iphone', 'ipad', 'xcode', 'app store'],
    keywords: ['ios', 'iphone'],
    globs: ['**/*.xcodeproj/**', '**/Info.plist'],
  }),
  plat('android', 'mobile', { aliases: ['play store'], globs: ['**/AndroidManifest.xml', '**/build.gradle.kts'] }),
  // ── Game engines ───────────────────────────────────────────────────────────
  fw('unity', 'games', {
    exact: ['Unity', 'Unity3D'],
    keywords: ['unity', 'unity3d'],
    globs: ['**/*.unity', '**/*.prefab', '**/Assets/**/*.cs'],
    implies: ['c#'],
  }),
  fw('unreal engine', 'games', { aliases: ['ue5', 'unreal'], globs: ['**/*.uproject'] }),
  fw('godot', 'games', { aliases: ['gdscript'], globs: ['**/*.gd', '**/project.godot'] }),
  // ── Data and ML ────────────────────────────────────────────────────────────
  fw('pandas', 'data', { implies: ['python'] }),
  fw('numpy', 'data', { implies: ['python'] }),
  fw('jupyter', 'data', { aliases: ['jupyter notebook', 'notebooks', 'ipynb'], keywords: ['jupyter', 'notebook'], globs: ['**/*.ipynb'] }),
  fw('pytorch', 'machine learning', { aliases: ['torch'], implies: ['python'] }),
  fw('tensorflow', 'machine learning', { aliases: ['keras'], implies: ['python'] }),
  fw('scikit-learn', 'machine learning', { aliases: ['sklearn', 'scikit learn'], implies: ['python'] }),
  fw('hugging face', 'machine learning', { aliases: ['huggingface', 'transformers library'], keywords: ['hugging face'] }),
  fw('langchain', 'ai', { aliases: ['langgraph', 'llamaindex'] }),
  fw('mlflow', 'machine learning', { aliases: ['kubeflow', 'weights & biases', 'wandb'] }),
  tool('spark', 'data', { aliases: ['pyspark', 'apache spark', 'databricks'], exact: ['Spark'], keywords: ['spark', 'pyspark'] }),
  tool('airflow', 'data', { aliases: ['apache airflow', 'dagster', 'prefect'], keywords: ['airflow'], globs: ['**/dags/**/*.py'] }),
  tool('dbt', 'data', { globs: ['**/dbt_project.yml', '**/models/**/*.sql'] }),
  tool('kafka', 'data', { aliases: ['apache kafka', 'kafka streams'] }),
  tool('rabbitmq', 'backend', { aliases: ['amqp'] }),
  tool('nats', 'backend', { exact: ['NATS'] }),
  tool('snowflake', 'data', { exact: ['Snowflake'] }),
  tool('bigquery', 'data', { aliases: ['big query'] }),
  tool('tableau', 'data', { aliases: ['power bi', 'looker', 'metabase'], keywords: ['tableau', 'power bi'] }),
  tool('cuda', 'machine learning', { aliases: ['nvidia', 'gpu', 'gpus', 'dgx'], keywords: ['cuda', 'gpu'] }),
  tool('vllm', 'machine learning', { aliases: ['tensorrt', 'triton inference'] }),
  tool('openai api', 'ai', { aliases: ['openai', 'gpt-4', 'chatgpt'], keywords: ['openai'] }),
  tool('anthropic api', 'ai', { aliases: ['claude api', 'anthropic'], keywords: ['claude api'] }),
  tool('vector database', 'ai', {
    aliases: ['vector databases', 'vector db', 'vector search', 'pinecone', 'weaviate', 'qdrant', 'pgvector', 'milvus', 'chroma', 'faiss'],
    keywords: ['vector database', 'embeddings', 'vector search'],
  }),
  // ── Databases ──────────────────────────────────────────────────────────────
  db('postgresql', 'databases', {
    aliases: ['postgres', 'psql', 'pg'],
    keywords: ['postgres', 'postgresql', 'psql', 'vacuum', 'pg_stat_statements'],
    globs: ['**/*.sql'],
    implies: ['sql'],
  }),
  db('mysql', 'databases', { aliases: ['mariadb'], globs: ['**/*.sql'], implies: ['sql'] }),
  db('sql server', 'databases', { aliases: ['mssql', 'sqlserver', 'azure sql'], implies: ['sql'] }),
  db('oracle', 'databases', { exact: ['Oracle', 'PL/SQL'], keywords: ['oracle database'] }),
  db('sqlite', 'databases', { globs: ['**/*.sqlite', '**/*.db'] }),
  db('mongodb', 'databases', { aliases: ['mongo', 'mongoose'] }),
  db('redis', 'databases', { aliases: ['valkey'] }),
  db('elasticsearch', 'databases', { aliases: ['opensearch', 'kibana'], keywords: ['elasticsearch'] }),
  db('cassandra', 'databases', { aliases: ['scylladb'] }),
  db('dynamodb', 'databases', { aliases: ['dynamo'] }),
  db('neo4j', 'databases', { aliases: ['cypher', 'graph database'] }),
  db('clickhouse', 'databases', { aliases: ['timescaledb', 'influxdb'] }),
  db('supabase', 'databases', { aliases: ['firebase', 'firestore'] }),
  tool('prisma', 'databases', { globs: ['**/*.prisma'] }),
  tool('orm', 'databases', { exact: ['ORM', 'ORMs'], aliases: ['typeorm', 'drizzle', 'hibernate', 'jpa'], keywords: ['orm'] }),
  topic('database migration', 'databases', {
    aliases: ['database migrations', 'schema migration', 'schema migrations', 'flyway', 'liquibase', 'alembic'],
    keywords: ['database migration', 'schema migration'],
    globs: ['**/migrations/**', '**/db/migrate/**'],
  }),
  // ── Cloud platforms ────────────────────────────────────────────────────────
  plat('aws', 'cloud', {
    aliases: ['amazon web services', 'ec2', 's3', 'cloudformation', 'cdk', 'eks', 'ecs'],
    keywords: ['aws'],
    globs: ['**/cdk.json', '**/*.cfn.yaml', '**/*.cfn.json'],
    globsFromName: true,
  }),
  plat('lambda', 'cloud', { exact: ['Lambda', 'AWS Lambda'], keywords: ['aws lambda'] }),
  plat('azure', 'cloud', {
    aliases: ['microsoft azure', 'aks', 'entra id', 'azure ad', 'bicep', 'arm templates'],
    keywords: ['azure'],
    globs: ['**/*.bicep'],
    globsFromName: true,
  }),
  plat('gcp', 'cloud', { aliases: ['google cloud', 'google cloud platform', 'gke', 'cloud run'], keywords: ['gcp', 'google cloud'] }),
  plat('oci', 'cloud', { aliases: ['oracle cloud'] }),
  plat('cloudflare', 'cloud', { aliases: ['cloudflare workers'] }),
  plat('vercel', 'cloud', { aliases: ['netlify'] }),
  plat('heroku', 'cloud'),
  plat('openstack', 'cloud', { aliases: ['vmware', 'vsphere'] }),
  plat('serverless', 'cloud', { aliases: ['faas'], keywords: ['serverless'], globs: ['**/serverless.yml'], globsFromName: true }),
  // ── Infrastructure and DevOps tools ─────────────────────────────────────────
  tool('terraform', 'infrastructure', {
    aliases: ['opentofu', 'tofu', 'hcl', 'terraform cloud'],
    keywords: ['terraform', 'opentofu', 'tf', 'terraform plan', 'tfstate', 'terraform module'],
    globs: ['**/*.tf', '**/*.tfvars', '**/*.tf.json'],
    regex: ['\\bterraform (plan|apply|state|import|module)\\b'],
  }),
  tool('terragrunt', 'infrastructure', { globs: ['**/terragrunt.hcl'], implies: ['terraform'] }),
  tool('pulumi', 'infrastructure', { globs: ['**/Pulumi.yaml', '**/Pulumi.*.yaml'] }),
  tool('ansible', 'infrastructure', {
    aliases: ['ansible playbook'],
    globs: ['**/playbook*.yml', '**/roles/**/tasks/*.yml', '**/ansible.cfg'],
  }),
  tool('chef', 'infrastructure', { exact: ['Chef'], keywords: ['chef cookbook'] }),
  tool('puppet', 'infrastructure', { exact: ['Puppet'], globs: ['**/*.pp'] }),
  tool('docker', 'containers', {
    aliases: ['dockerfile', 'dockerfiles', 'docker compose', 'docker-compose', 'containerd', 'podman', 'buildkit'],
    keywords: ['docker', 'dockerfile', 'docker compose', 'container image', 'multi-stage build'],
    globs: [
      '**/Dockerfile',
      '**/Dockerfile.*',
      '**/*.dockerfile',
      '**/docker-compose*.yml',
      '**/docker-compose*.yaml',
      '**/compose.yaml',
      '**/.dockerignore',
    ],
    regex: ['\\b[Dd]ockerfile\\b', '\\bdocker[- ]compose\\b'],
  }),
  tool('kubernetes', 'containers', {
    aliases: ['k8s', 'kubectl', 'k3s', 'openshift', 'eks', 'aks', 'gke'],
    keywords: ['kubernetes', 'k8s', 'kubectl', 'pod', 'ingress'],
    globs: ['**/k8s/**/*.yaml', '**/k8s/**/*.yml', '**/kustomization.yaml', '**/manifests/**/*.yaml'],
    regex: ['\\bkubectl\\b'],
  }),
  tool('helm', 'containers', {
    aliases: ['helm chart', 'helm charts'],
    keywords: ['helm', 'helm chart', 'values.yaml'],
    globs: ['**/Chart.yaml', '**/values.yaml', '**/templates/*.yaml'],
  }),
  tool('istio', 'containers', {
    aliases: ['linkerd', 'envoy', 'service mesh', 'consul connect'],
    keywords: ['service mesh', 'istio', 'linkerd'],
  }),
  tool('argocd', 'devops', { aliases: ['argo cd', 'flux', 'fluxcd', 'gitops'], keywords: ['gitops', 'argocd'] }),
  tool('github actions', 'ci/cd', {
    aliases: ['gh actions'],
    keywords: ['github actions', 'workflow yaml', 'ci workflow'],
    globs: ['.github/workflows/*.yml', '.github/workflows/*.yaml'],
  }),
  tool('gitlab ci', 'ci/cd', { aliases: ['gitlab', 'gitlab-ci'], globs: ['**/.gitlab-ci.yml'] }),
  tool('jenkins', 'ci/cd', { aliases: ['jenkinsfile'], globs: ['**/Jenkinsfile'] }),
  tool('circleci', 'ci/cd', { globs: ['.circleci/config.yml'] }),
  tool('azure devops', 'ci/cd', { aliases: ['azure pipelines'], globs: ['**/azure-pipelines.yml'] }),
  tool('ci/cd', 'ci/cd', {
    aliases: ['ci cd', 'cicd', 'ci pipeline', 'ci pipelines', 'continuous integration', 'continuous delivery', 'continuous deployment'],
    keywords: ['ci/cd', 'ci pipeline', 'pipeline', 'build pipeline', 'deploy pipeline'],
  }),
  tool('git', 'developer experience', {
    aliases: [
      'github',
      'git workflow',
      'branching strategy',
      'merge conflict',
      'merge conflicts',
      'rebase',
      'pull request',
      'pull requests',
    ],
    keywords: ['git', 'pull request', 'merge conflict', 'rebase', 'branching strategy', 'cherry-pick'],
    globs: ['**/.gitignore', '**/.gitattributes', '**/CODEOWNERS'],
  }),
  tool('nginx', 'infrastructure', { aliases: ['haproxy', 'traefik'], globs: ['**/nginx.conf', '**/*.nginx'] }),
  tool('prometheus', 'observability', { aliases: ['promql', 'alertmanager'], globs: ['**/prometheus.yml', '**/*.rules.yml'] }),
  tool('grafana', 'observability', { aliases: ['loki', 'tempo'] }),
  tool('opentelemetry', 'observability', {
    aliases: ['otel', 'jaeger', 'zipkin', 'distributed tracing'],
    keywords: ['opentelemetry', 'distributed tracing'],
  }),
  tool('datadog', 'observability', { aliases: ['new relic', 'splunk', 'sentry', 'elk stack'] }),
  tool('vault', 'security', {
    aliases: ['hashicorp vault', 'secrets management', 'secret management'],
    exact: ['Vault'],
    keywords: ['secrets management', 'vault'],
  }),
  tool('active directory', 'windows', {
    aliases: ['ad ds', 'group policy', 'gpo', 'rsat', 'ldap'],
    keywords: ['active directory', 'group policy'],
  }),
  tool('windows server', 'windows', { aliases: ['hyper-v', 'iis', 'dhcp', 'dns server'], keywords: ['windows server'] }),
  plat('microsoft 365', 'windows', {
    aliases: ['m365', 'office 365', 'exchange online', 'sharepoint', 'teams admin', 'intune'],
    keywords: ['microsoft 365', 'm365', 'exchange online'],
  }),
  tool('cmake', 'build', {
    aliases: ['bazel', 'gradle', 'maven', 'msbuild', 'ninja build'],
    keywords: ['cmake', 'bazel', 'gradle', 'build system', 'build time'],
    globs: ['**/CMakeLists.txt', '**/BUILD.bazel', '**/WORKSPACE', '**/build.gradle*', '**/pom.xml'],
  }),
  tool('npm', 'build', {
    aliases: ['pnpm', 'yarn', 'package.json', 'lockfile', 'node_modules'],
    keywords: ['npm', 'pnpm', 'yarn'],
    globs: ['**/package.json', '**/package-lock.json', '**/pnpm-lock.yaml', '**/yarn.lock'],
  }),
  tool('monorepo', 'build', {
    aliases: ['nx', 'turborepo', 'lerna', 'monorepos'],
    keywords: ['monorepo', 'nx', 'turborepo', 'lerna', 'workspace'],
    globs: ['**/nx.json', '**/turbo.json', '**/pnpm-workspace.yaml'],
  }),
  tool('pip', 'build', { aliases: ['poetry', 'uv', 'pipenv', 'conda', 'virtualenv'], keywords: ['pip', 'poetry'] }),
  tool('mcp', 'ai', {
    aliases: ['model context protocol', 'mcp server', 'mcp servers'],
    keywords: ['mcp', 'mcp server', 'model context protocol'],
  }),
  tool('slack', 'integrations', { aliases: ['slack api', 'slack bot', 'bolt'], keywords: ['slack', 'slack bot'] }),
  tool('stripe', 'payments', {
    aliases: ['paypal', 'braintree', 'adyen'],
    keywords: ['stripe', 'paypal', 'payment gateway', 'subscription billing', 'checkout'],
  }),
  tool('twitter api', 'integrations', { aliases: ['x api', 'tweet', 'tweets'], keywords: ['x api', 'twitter api', 'tweet'] }),
  tool('mermaid', 'documentation', {
    aliases: ['mermaid diagram', 'mermaid diagrams'],
    keywords: ['mermaid', 'diagram'],
    globs: ['**/*.mmd'],
  }),
  tool('openapi', 'api', {
    aliases: ['swagger', 'openapi 3.1', 'openapi spec'],
    keywords: ['openapi', 'swagger'],
    globs: ['**/openapi.yaml', '**/openapi.json', '**/swagger.yaml', '**/swagger.json'],
  }),
  tool('figma', 'design', { aliases: ['sketch app'], keywords: ['figma'] }),
  tool('powerpoint', 'content', {
    aliases: ['pptx', 'slide deck', 'slides', 'presentation deck'],
    keywords: ['powerpoint', 'pptx', 'slide deck'],
    globs: ['**/*.pptx'],
  }),
  tool('stable diffusion', 'design', {
    aliases: ['midjourney', 'dall-e', 'image generation', 'text-to-image'],
    keywords: ['image generation', 'midjourney'],
  }),
  // ── Testing tools ──────────────────────────────────────────────────────────
  tool('jest', 'testing', {
    aliases: ['vitest', 'mocha', 'jasmine'],
    keywords: ['jest', 'vitest'],
    globs: ['**/*.test.ts', '**/*.test.js', '**/*.spec.ts', '**/*.spec.js'],
  }),
  tool('pytest', 'testing', { aliases: ['unittest'], globs: ['**/test_*.py', '**/*_test.py', '**/conftest.py'], implies: ['python'] }),
  tool('playwright', 'testing', { globs: ['**/*.e2e.ts', '**/e2e/**', '**/playwright.config.*'] }),
  tool('cypress', 'testing', { globs: ['**/cypress/**', '**/*.cy.ts', '**/*.cy.js'] }),
  tool('selenium', 'testing', { aliases: ['webdriver'] }),
  tool('junit', 'testing', { aliases: ['testng', 'mockito'], globs: ['**/src/test/**/*.java'] }),
  tool('k6', 'testing', {
    aliases: ['jmeter', 'gatling', 'locust', 'load testing', 'load test', 'stress testing'],
    keywords: ['load testing', 'k6'],
  }),
  tool('terratest', 'testing', { implies: ['go'] }),
  tool('pester', 'testing', { implies: ['powershell'] }),
  // ── Security tools ─────────────────────────────────────────────────────────
  tool('owasp', 'security', { aliases: ['owasp top 10', 'owasp top ten', 'asvs'], keywords: ['owasp', 'owasp top 10'] }),
  tool('sast', 'security', {
    aliases: ['dast', 'semgrep', 'codeql', 'sonarqube', 'snyk', 'trivy', 'bandit'],
    keywords: ['sast', 'dast', 'semgrep'],
  }),
  tool('burp suite', 'security', { aliases: ['metasploit', 'nmap', 'kali'], keywords: ['burp suite', 'nmap'] }),
  tool('ghidra', 'security', {
    aliases: ['ida pro', 'radare2', 'x64dbg', 'binary ninja', 'disassembly', 'decompilation'],
    keywords: ['ghidra', 'ida pro', 'disassembly'],
  }),
  tool('oauth', 'security', {
    aliases: ['oauth2', 'oauth 2.0', 'openid connect', 'oidc', 'jwt', 'saml', 'sso'],
    keywords: ['oauth', 'jwt', 'sso'],
  }),
  tool('tls', 'security', { aliases: ['ssl', 'ssl/tls', 'mtls', 'https certificates'], keywords: ['tls', 'ssl'] }),
  // ── Embedded and hardware ──────────────────────────────────────────────────
  plat('arm cortex', 'embedded', {
    aliases: ['cortex-m', 'cortex m', 'stm32', 'nrf52', 'arm cortex-m'],
    keywords: ['arm cortex', 'stm32', 'cortex-m'],
  }),
  plat('rtos', 'embedded', { aliases: ['freertos', 'zephyr', 'zephyr rtos'], keywords: ['rtos', 'freertos'] }),
  plat('arduino', 'embedded', {
    aliases: ['esp32', 'raspberry pi', 'microcontroller', 'microcontrollers', 'firmware'],
    keywords: ['arduino', 'esp32', 'microcontroller', 'firmware'],
    globs: ['**/*.ino'],
  }),
  plat('mqtt', 'iot', { aliases: ['coap', 'lorawan', 'zigbee', 'aws iot'], keywords: ['mqtt'] }),
  plat('blockchain', 'blockchain', {
    aliases: ['ethereum', 'web3', 'smart contract', 'smart contracts', 'defi', 'nft', 'evm', 'hardhat', 'foundry'],
    keywords: ['smart contract', 'web3', 'ethereum', 'defi'],
    globs: ['**/hardhat.config.*', '**/foundry.toml'],
  }),
  // ── Topics: words that name an area of work rather than a product ─────────
  topic('security', 'security', {
    aliases: [
      'appsec',
      'vulnerability',
      'vulnerabilities',
      'cve',
      'cves',
      'threat model',
      'threat modeling',
      'penetration testing',
      'penetration tester',
      'pentest',
      'pentesting',
    ],
    keywords: ['security', 'vulnerability', 'cve', 'xss', 'sql injection', 'csrf'],
  }),
  topic('testing', 'testing', {
    aliases: [
      'test automation',
      'test automator',
      'qa',
      'unit tests',
      'unit testing',
      'integration tests',
      'e2e tests',
      'e2e testing',
      'end-to-end tests',
      'test suite',
      'test suites',
      'tdd',
      'test-driven development',
      'flaky test',
      'flaky tests',
      'test coverage',
    ],
    keywords: ['testing', 'unit test', 'flaky test', 'test coverage', 'tdd', 'e2e test', 'integration test', 'mock'],
    globs: ['**/*.test.ts', '**/*.spec.ts', '**/*.test.js', '**/*.spec.js', '**/test_*.py', '**/*_test.go', '**/tests/**'],
  }),
  topic('accessibility', 'accessibility', {
    aliases: ['a11y', 'wcag', 'aria', 'screen reader', 'screen readers'],
    keywords: ['accessibility', 'a11y', 'wcag', 'screen reader', 'aria', 'keyboard navigation', 'color contrast'],
  }),
  topic('performance', 'performance', {
    aliases: ['profiling', 'latency', 'bottleneck', 'bottlenecks', 'core web vitals', 'flame graph', 'memory leak', 'memory leaks'],
    keywords: ['performance', 'slow', 'latency', 'profiling', 'memory leak', 'bottleneck', 'throughput'],
  }),
  topic('observability', 'observability', {
    aliases: ['monitoring', 'logging', 'tracing', 'alerting', 'slo', 'slos', 'sli', 'slis', 'dashboards'],
    keywords: ['observability', 'monitoring', 'alerting', 'slo', 'metrics', 'tracing'],
  }),
  topic('incident response', 'operations', {
    aliases: ['incident', 'incidents', 'outage', 'outages', 'postmortem', 'postmortems', 'on-call', 'runbook', 'runbooks'],
    keywords: ['incident', 'outage', 'postmortem', 'on-call', 'sev1', 'pagerduty'],
  }),
  topic('debugging', 'quality', {
    aliases: ['debugger', 'debug', 'bug', 'bugs', 'stack trace', 'stack traces', 'root cause', 'root cause analysis', 'crash', 'crashes'],
    keywords: ['debugging', 'debug', 'bug', 'stack trace', 'root cause', 'crash', 'exception'],
  }),
  topic('code review', 'quality', {
    aliases: ['code reviews', 'code reviewer', 'pr review', 'pr reviews'],
    keywords: ['code review', 'pr review', 'pull request review', 'diff'],
  }),
  topic('refactoring', 'quality', {
    aliases: ['refactor', 'technical debt', 'tech debt', 'code smell', 'code smells', 'legacy code', 'clean code', 'dead code'],
    keywords: ['refactor', 'technical debt', 'legacy code', 'code smell', 'clean up'],
  }),
  topic('api design', 'api', {
    aliases: ['rest api', 'rest apis', 'restful', 'api versioning', 'api gateway', 'endpoint', 'endpoints'],
    keywords: ['rest api', 'api design', 'endpoint', 'api versioning'],
  }),
  topic('microservices', 'backend', {
    aliases: [
      'microservice',
      'service boundaries',
      'event-driven',
      'event driven',
      'saga',
      'cqrs',
      'event sourcing',
      'domain-driven design',
      'ddd',
    ],
    keywords: ['microservices', 'event-driven', 'cqrs', 'event sourcing'],
  }),
  topic('database', 'databases', {
    aliases: ['databases', 'query optimization', 'indexing', 'indexes', 'schema design', 'data modeling', 'replication', 'sharding'],
    keywords: ['database', 'query optimization', 'schema design', 'index', 'slow query', 'deadlock', 'replication'],
  }),
  topic('machine learning', 'machine learning', {
    aliases: [
      'ml',
      'deep learning',
      'neural network',
      'neural networks',
      'model training',
      'mlops',
      'feature store',
      'fine-tuning',
      'fine tuning',
      'finetuning',
      'lora',
      'reinforcement learning',
      'rlhf',
    ],
    keywords: ['machine learning', 'model training', 'fine-tuning', 'mlops', 'ml model', 'inference'],
  }),
  topic('llm', 'ai', {
    aliases: [
      'llms',
      'large language model',
      'large language models',
      'rag',
      'retrieval-augmented generation',
      'prompt engineering',
      'prompt engineer',
      'prompts',
      'embeddings',
      'agents sdk',
      'ai agents',
    ],
    keywords: ['llm', 'rag', 'prompt engineering', 'embeddings'],
  }),
  topic('nlp', 'ai', {
    aliases: ['natural language processing', 'named entity recognition', 'sentiment analysis', 'tokenization', 'text classification'],
    keywords: ['nlp', 'text classification', 'sentiment analysis'],
  }),
  topic('data pipeline', 'data', {
    aliases: [
      'data pipelines',
      'data engineer',
      'data engineering',
      'etl',
      'elt',
      'data warehouse',
      'data lake',
      'lakehouse',
      'streaming data',
    ],
    keywords: ['data pipeline', 'etl', 'data warehouse', 'airflow dag', 'batch job'],
  }),
  topic('data analysis', 'data', {
    aliases: [
      'statistics',
      'statistical analysis',
      'data visualization',
      'ab test',
      'a/b test',
      'a/b testing',
      'ab testing',
      'cohort',
      'cohort analysis',
      'retention analysis',
      'kpi',
      'kpis',
      'data scientist',
      'data science',
      'data analyst',
    ],
    keywords: ['data analysis', 'statistics', 'a/b test', 'kpi', 'metric'],
  }),
  topic('seo', 'marketing', {
    aliases: [
      'search engine optimization',
      'serp',
      'meta description',
      'meta descriptions',
      'schema markup',
      'featured snippet',
      'featured snippets',
      'backlinks',
      'keyword research',
    ],
    keywords: ['seo', 'keyword research', 'meta description', 'serp'],
  }),
  topic('compliance', 'compliance', {
    aliases: ['gdpr', 'ccpa', 'hipaa', 'soc 2', 'soc2', 'pci dss', 'pci-dss', 'iso 27001', 'sox', 'audit trail'],
    keywords: ['compliance', 'gdpr', 'hipaa', 'soc 2', 'pci dss', 'pii'],
  }),
  topic('fintech', 'finance', {
    aliases: [
      'payments',
      'payment processing',
      'banking',
      'trading',
      'algorithmic trading',
      'quantitative',
      'portfolio',
      'risk management',
      'derivatives',
      'backtesting',
    ],
    keywords: ['fintech', 'payments', 'trading', 'backtesting', 'reconciliation'],
  }),
  topic('ui design', 'design', {
    aliases: [
      'ux',
      'ui/ux',
      'user interface',
      'user interfaces',
      'design system',
      'design systems',
      'design tokens',
      'wireframe',
      'wireframes',
      'prototype',
      'prototypes',
      'usability',
    ],
    keywords: ['ui design', 'design system', 'ux', 'wireframe', 'mockup', 'visual design'],
  }),
  topic('responsive design', 'frontend', {
    aliases: ['responsive layout', 'responsive layouts', 'mobile-first', 'css grid', 'flexbox'],
    keywords: ['responsive design', 'layout'],
  }),
  topic('documentation', 'documentation', {
    aliases: ['docs', 'readme', 'api documentation', 'technical writing', 'tutorial', 'tutorials', 'user guide', 'changelog'],
    keywords: ['documentation', 'docs', 'readme', 'tutorial', 'user guide', 'api docs'],
    globs: ['**/*.md', '**/*.mdx', '**/docs/**'],
  }),
  topic('cli', 'developer experience', {
    aliases: ['command-line', 'command line', 'terminal', 'cli tool', 'cli tools'],
    exact: ['CLI', 'CLIs'],
    keywords: ['cli', 'command-line tool', 'terminal', 'argument parsing'],
  }),
  topic('dependency management', 'developer experience', {
    aliases: [
      'dependency updates',
      'dependency upgrades',
      'outdated dependencies',
      'vulnerable dependencies',
      'dependabot',
      'renovate',
      'semver',
      'supply chain',
    ],
    keywords: ['dependency', 'dependency update', 'vulnerable dependency', 'renovate', 'dependabot', 'lockfile'],
  }),
  topic('chaos engineering', 'reliability', {
    aliases: ['chaos engineer', 'chaos experiments', 'fault injection', 'game day', 'game days', 'chaos monkey', 'litmus'],
    keywords: ['chaos engineering', 'fault injection', 'resilience test'],
  }),
  topic('sre', 'reliability', {
    aliases: ['site reliability', 'site reliability engineering', 'error budget', 'error budgets', 'toil'],
    keywords: ['sre', 'error budget', 'reliability', 'slo', 'toil'],
  }),
  topic('networking', 'infrastructure', {
    aliases: ['network', 'dns', 'vpc', 'vpn', 'load balancer', 'load balancing', 'cdn', 'tcp', 'bgp', 'firewall'],
    keywords: ['network', 'dns', 'load balancer', 'vpc', 'cdn', 'firewall', 'subnet', 'vpn'],
  }),
  topic('email deliverability', 'marketing', {
    aliases: ['spf', 'dkim', 'dmarc', 'inbox placement', 'bounce rate', 'sender reputation'],
    keywords: ['email deliverability', 'spf', 'dkim', 'dmarc', 'spam folder'],
  }),
  topic('legal', 'legal', {
    aliases: ['legal contract', 'contract review', 'nda', 'terms of service', 'privacy policy', 'legal advice', 'legal review'],
    keywords: ['legal', 'contract', 'terms of service', 'privacy policy'],
  }),
  topic('licensing', 'legal', {
    aliases: [
      'license',
      'licenses',
      'open source license',
      'open source licenses',
      'license compliance',
      'spdx',
      'gpl',
      'agpl',
      'mit license',
      'apache 2.0',
    ],
    keywords: ['license', 'open source license', 'license compliance'],
  }),
  topic('marketing', 'marketing', {
    aliases: [
      'content marketing',
      'copywriting',
      'landing page',
      'landing pages',
      'conversion rate',
      'campaign',
      'campaigns',
      'social media',
      'newsletter',
      'blog post',
      'blog posts',
    ],
    keywords: ['marketing', 'landing page', 'copywriting', 'blog post'],
  }),
  topic('product management', 'product', {
    aliases: ['roadmap', 'roadmaps', 'prd', 'user stories', 'user story', 'backlog', 'prioritization', 'okrs', 'product strategy'],
    keywords: ['roadmap', 'prd', 'user story', 'backlog', 'prioritization'],
  }),
  topic('agile', 'product', {
    aliases: ['scrum', 'sprint', 'sprints', 'kanban', 'retrospective', 'retrospectives', 'standup', 'velocity'],
    keywords: ['scrum', 'sprint', 'retrospective', 'agile', 'standup', 'velocity'],
  }),
  topic('project management', 'product', {
    aliases: ['gantt', 'milestones', 'stakeholder', 'stakeholders', 'project plan', 'risk register'],
    keywords: ['project plan', 'milestone', 'project management', 'timeline'],
  }),
  topic('customer success', 'business', {
    aliases: ['customer support', 'churn', 'customer onboarding', 'nps', 'customer retention', 'support tickets', 'help desk'],
    keywords: ['customer success', 'churn', 'customer support', 'support ticket'],
  }),
  topic('sales', 'business', {
    aliases: ['sales engineering', 'sales engineer', 'rfp', 'cold email', 'lead generation', 'crm', 'pipeline review'],
    keywords: ['sales', 'rfp', 'cold email', 'crm'],
  }),
  topic('market research', 'research', {
    aliases: [
      'competitive analysis',
      'competitor',
      'competitors',
      'tam',
      'market sizing',
      'market analysis',
      'survey',
      'surveys',
      'trend analysis',
      'industry trends',
    ],
    keywords: ['market research', 'competitor', 'market sizing', 'survey', 'tam'],
  }),
  topic('research', 'research', {
    aliases: ['literature review', 'scientific literature', 'papers', 'citations', 'systematic review', 'meta-analysis', 'pubmed', 'arxiv'],
    keywords: ['research', 'literature review'],
  }),
  topic('healthcare', 'healthcare', {
    aliases: ['hl7', 'fhir', 'ehr', 'emr', 'clinical', 'patient', 'patients', 'medical billing', 'icd-10', 'phi'],
    keywords: ['healthcare', 'fhir', 'ehr', 'patient'],
  }),
  topic('hr', 'business', {
    exact: ['HR'],
    aliases: ['human resources', 'hiring', 'recruiting', 'job description', 'employee', 'employees', 'pto'],
    keywords: ['hr', 'hiring', 'job description', 'employee'],
  }),
  topic('game development', 'games', {
    aliases: ['game', 'games', 'gameplay', 'game design', 'multiplayer', 'game engine'],
    keywords: ['game', 'gameplay', 'multiplayer'],
  }),
  topic('i18n', 'frontend', {
    aliases: ['internationalization', 'localization', 'l10n', 'translations'],
    keywords: ['i18n', 'localization'],
  }),
  topic('reverse engineering', 'security', {
    aliases: ['malware', 'malware analysis', 'binary analysis', 'firmware analysis', 'exploit', 'exploits'],
    keywords: ['reverse engineering', 'malware', 'binary analysis'],
  }),
  topic('regex', 'developer experience', { aliases: ['regular expression', 'regular expressions'], keywords: ['regex'] }),
  topic('caching', 'backend', { aliases: ['cache', 'cdn caching', 'cache invalidation'], keywords: ['caching', 'cache'] }),
  topic('authentication', 'security', {
    aliases: ['auth', 'authorization', 'rbac', 'access control', 'mfa', 'login'],
    keywords: ['authentication', 'authorization', 'rbac', 'login'],
  }),
];
