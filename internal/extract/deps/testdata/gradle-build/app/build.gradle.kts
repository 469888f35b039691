plugins {
    kotlin("jvm")
    application
}

val ktorVersion: String = "2.3.7"
val logback = "1.4.14"

dependencies {
    implementation("io.ktor:ktor-server-core:$ktorVersion")
    implementation("io.ktor:ktor-server-netty:${ktorVersion}")
    implementation(enforcedPlatform("org.jetbrains.kotlinx:kotlinx-coroutines-bom:1.7.3"))
    runtimeOnly("ch.qos.logback:logback-classic:$logback")
    testImplementation(kotlin("test"))
    testImplementation("io.mockk:mockk:[1.13,1.14)")
    implementation(group = "org.slf4j", name = "slf4j-api", version = "2.0.11")
    implementation(project(":lib"))
    ksp("com.google.dagger:dagger-compiler:2.50")
}
