export declare function javaBin(): string;
export declare function javaHome(): string | undefined;
export declare function groovyJars(): string[];
export declare function checkerDir(): string;
