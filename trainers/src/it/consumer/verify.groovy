// Post-build check of the invoker consumer project (trainers/src/it/consumer). The build itself already failed if the
// enforcer found diverging versions or the experiment failed; this script fails it when the experiment did not run at
// all, or when the resolved dependency tree carries what a library must not force on its users.

def problems = []

// 1. The JUnit experiment ran (a class Surefire skips would leave a green build with 0 tests).
def reports = new File(basedir, 'target/surefire-reports')
        .listFiles({ f -> f.name.startsWith('TEST-') && f.name.endsWith('.xml') } as FileFilter) ?: []
int run = 0
reports.each { f ->
    def suite = (f.text =~ /<testsuite\b[^>]*>/)[0]
    def count = { String attr -> ((suite =~ /\b${attr}="(\d+)"/)[0][1]) as int }
    run += count('tests') - count('skipped')
}
if (run < 1) {
    problems << "surefire ran ${run} tests (reports: ${reports*.name}); the consumer's experiment did not run"
}
if (!reports.any { it.name.contains('ScoringExperimentTest') }) {
    problems << "no surefire report for ScoringExperimentTest (reports: ${reports*.name})"
}
if (run < 2) {
    problems << "surefire ran ${run} tests; expected both methods of ScoringExperimentTest"
}
// the convention must work with Surefire's defaults: the consumer pom configures no includes
if (new File(basedir, 'pom.xml').text.contains('<includes>')) {
    problems << 'the consumer pom overrides Surefire includes; the README convention must work without'
}
def results = []
def experiments = new File(basedir, 'target/experiments')
if (experiments.isDirectory()) {
    experiments.eachFileRecurse { f -> if (f.name == 'result.json') results << f }
}
if (results.count { it.text =~ /"status"\s*:\s*"SUCCESSFUL"/ } < 2) {
    problems << "no result.json with status SUCCESSFUL under ${experiments} (found ${results})"
}

// 2. The dependency tree of the consumer (mvn dependency:tree -Dverbose -DoutputFile=target/dependency-tree.txt). The
// verbose tree also lists the nodes that Maven's mediation dropped, "(g:a:t:v:scope - omitted for duplicate)" or
// "... omitted for conflict with ...": a native jar or a JUnit artifact the library forces is caught even when the
// consumer declares the same artifact itself.
def treeFile = new File(basedir, 'target/dependency-tree.txt')
if (!treeFile.isFile()) {
    throw new AssertionError("missing ${treeFile}")
}
def deps = []
treeFile.readLines().drop(1).each { line ->
    def m = line =~ /^([| +\\-]*)\(?([^\s)]+)/
    if (!m.find()) return
    def p = m.group(2).split(':')
    if (p.length < 5) return
    def classifier = p.length >= 6 ? p[3] : ''
    deps << [g: p[0], a: p[1], classifier: classifier, v: p[p.length - 2], scope: p[p.length - 1],
             direct: m.group(1).length() == 3, line: line.trim()]
}
if (deps.isEmpty()) {
    throw new AssertionError("no dependencies parsed from ${treeFile}:\n${treeFile.text}")
}

deps.findAll { (it.g.startsWith('org.junit') || it.g == 'junit') && it.scope != 'test' }.each {
    problems << "JUnit outside test scope: ${it.line}"
}
def bindings = ['slf4j-simple', 'slf4j-nop', 'slf4j-jdk14', 'slf4j-jcl', 'slf4j-log4j12', 'slf4j-reload4j',
                'logback-classic', 'log4j-slf4j-impl', 'log4j-slf4j2-impl']
deps.findAll { it.a in bindings }.each {
    problems << "SLF4J binding (a logging backend is the application's choice): ${it.line}"
}
def natives = deps.findAll { it.g == 'ai.djl.pytorch' && it.a.startsWith('pytorch-native-') }
if (natives.size() != 1 || natives[0].a != 'pytorch-native-cpu' || !natives[0].direct) {
    problems << "expected only the consumer's own pytorch-native-cpu, got: ${natives*.line}"
}
if (!deps.any { it.g == 'ai.djl.pytorch' && it.a == 'pytorch-jni' && it.scope in ['compile', 'runtime'] }) {
    problems << 'pytorch-jni (CPU and CUDA JNI) must come with reward4j'
}
if (!deps.any { it.a == 'reward4j-trainers' && it.direct && it.scope == 'compile' }) {
    problems << 'reward4j-trainers is not a direct compile dependency'
}

// 3. The enforcer's dependencyConvergence rule ran in this build (it fails the build on a conflict).
def log = new File(basedir, 'build.log').text
if (!log.contains('DependencyConvergence')) {
    problems << 'the enforcer dependencyConvergence rule did not run'
}

println "consumer: ${run} test(s) run, ${deps.size()} dependencies resolved, natives ${natives*.a}"
if (problems) {
    throw new AssertionError('consumer project check failed:\n  - ' + problems.join('\n  - '))
}
return true
