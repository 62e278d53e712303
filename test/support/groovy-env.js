// Where Java, the Groovy 2.4 jars and the compiled checker live. Plain JS so global-setup can use it too.
const fs = require('fs');
const path = require('path');

const GROOVY_LIB = process.env.GROOVY_LIB || '/usr/share/groovy/lib';

function javaHome() {
  const candidates = [process.env.SLIPWAY_JAVA_HOME, '/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/default-java',
    process.env.JAVA_HOME].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, 'bin', 'java')));
}

function javaBin() {
  const home = javaHome();
  return home ? path.join(home, 'bin', 'java') : 'java';
}

function groovyJars() {
  const jars = [path.join(GROOVY_LIB, 'groovy-2.4.21.jar'), path.join(GROOVY_LIB, 'groovy-json.jar')];
  const fallback = path.join(GROOVY_LIB, 'groovy.jar');
  if (!fs.existsSync(jars[0]) && fs.existsSync(fallback)) jars[0] = fallback;
  for (const j of jars) {
    if (!fs.existsSync(j)) {
      throw new Error(`missing ${j}: install Groovy 2.4 (Jenkins' parser) with 'apt-get install -y groovy'`);
    }
  }
  return jars;
}

function checkerDir() {
  return path.join(__dirname, '..', '..', 'build', 'jfcheck');
}

module.exports = { javaBin, javaHome, groovyJars, checkerDir };
