@echo off
rem dbtool launcher for Windows. Finds the bundle from its own location.
rem Java: the bundle's runtime\ (jlink image) when present; otherwise DBTOOL_JAVA_HOME or JAVA_HOME
rem with the modules from lib\. Extra JVM options: DBTOOL_JAVA_OPTS. DBTOOL_AOT=off ignores the
rem AOT cache; DBTOOL_AOT=train records it.
setlocal
rem Snowflake driver: no native library unpacked into %TEMP% on each run, never a cloud metadata probe.
if not defined SNOWFLAKE_DISABLE_MINICORE set "SNOWFLAKE_DISABLE_MINICORE=true"
set "SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true"
set "DBTOOL_HOME=%~dp0.."
for %%I in ("%DBTOOL_HOME%") do set "DBTOOL_HOME=%%~fI"
set "COMMON=-Xlog:disable -Xlog:all=warning:stderr -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC --enable-native-access=org.jline.terminal.ffm,org.jline.nativ -Dorg.jline.terminal.dumb=true"
rem dbtool serve runs for weeks: a capped heap and a small young generation keep its memory near
rem what it uses (bench/serve). DBTOOL_SERVE_HEAP overrides the cap; DBTOOL_JAVA_OPTS comes later and wins.
if not defined DBTOOL_SERVE_HEAP set "DBTOOL_SERVE_HEAP=256m"
rem Every other command starts with an 8 MB heap that grows as it needs: a cold troubleshoot's peak
rem RSS 79 -> 63 MB and less CPU (fewer fresh pages touched; bench/results.md).
set "HEAP=-Xms8m"
if /i "%~1"=="serve" set "HEAP=-Xmx%DBTOOL_SERVE_HEAP% -Xmn16m"
rem dbtool logs may read gigabytes: the full JIT doubles its lines per second (bench/logs).
if /i "%~1"=="logs" set "HEAP=-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=1"
set "COMMON=%COMMON% %HEAP%"

set "JAVA=%DBTOOL_HOME%\runtime\bin\java.exe"
if not exist "%JAVA%" goto devjava
set "AOT=%DBTOOL_HOME%\runtime\lib\dbtool.aot"
if /i "%DBTOOL_AOT%"=="train" goto train
if /i "%DBTOOL_AOT%"=="off" goto noaot
if not exist "%AOT%" goto noaot
"%JAVA%" %COMMON% "-XX:AOTCache=%AOT%" "-Ddbtool.home=%DBTOOL_HOME%" %DBTOOL_JAVA_OPTS% --add-modules ALL-SYSTEM --module dbtool.core/dbtool.core.Main %*
exit /b %ERRORLEVEL%
:train
"%JAVA%" %COMMON% "-XX:AOTCacheOutput=%AOT%" "-Ddbtool.home=%DBTOOL_HOME%" %DBTOOL_JAVA_OPTS% --add-modules ALL-SYSTEM --module dbtool.core/dbtool.core.Main %*
exit /b %ERRORLEVEL%
:noaot
"%JAVA%" %COMMON% "-Ddbtool.home=%DBTOOL_HOME%" %DBTOOL_JAVA_OPTS% --add-modules ALL-SYSTEM --module dbtool.core/dbtool.core.Main %*
exit /b %ERRORLEVEL%

:devjava
set "JAVA=%DBTOOL_JAVA_HOME%\bin\java.exe"
if defined DBTOOL_JAVA_HOME if exist "%JAVA%" goto devrun
set "JAVA=%JAVA_HOME%\bin\java.exe"
if defined JAVA_HOME if exist "%JAVA%" goto devrun
echo dbtool: no Java 25 runtime found: set JAVA_HOME to a JDK 25, or use a bundle with runtime\ 1>&2
exit /b 70
:devrun
"%JAVA%" %COMMON% "-Ddbtool.home=%DBTOOL_HOME%" %DBTOOL_JAVA_OPTS% --module-path "%DBTOOL_HOME%\lib" --add-modules java.sql,java.naming,java.management,java.net.http,java.security.jgss,java.security.sasl,jdk.security.auth,jdk.security.jgss,jdk.naming.dns,jdk.unsupported,jdk.charsets,java.xml,java.rmi,jdk.net,jdk.jfr,jdk.httpserver,org.jline.terminal.ffm --module dbtool.core/dbtool.core.Main %*
exit /b %ERRORLEVEL%
