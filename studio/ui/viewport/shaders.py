"""GLSL 3.30 core shaders of the viewport: skinned body, floor grid, contact shadow, skeleton lines.

Kept cheap for software GL (Mesa llvmpipe): skinning is 4 matrix fetches per vertex, lighting a handful
of dot products per pixel.
"""

from __future__ import annotations

MAX_JOINTS = 52

BODY_VERTEX = f"""
#version 330 core
layout(location = 0) in vec3 a_position;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in ivec4 a_joints;
layout(location = 3) in vec4 a_weights;

uniform mat4 u_skin[{MAX_JOINTS}];  // G_k * T(-rest_k), world space
uniform mat4 u_view_proj;

out vec3 v_world;
out vec3 v_normal;

void main() {{
    mat4 skin = a_weights.x * u_skin[a_joints.x] + a_weights.y * u_skin[a_joints.y]
              + a_weights.z * u_skin[a_joints.z] + a_weights.w * u_skin[a_joints.w];
    vec4 world = skin * vec4(a_position, 1.0);
    v_world = world.xyz;
    v_normal = mat3(skin) * a_normal;  // rigid joint transforms: no inverse transpose needed
    gl_Position = u_view_proj * world;
}}
"""

BODY_FRAGMENT = """
#version 330 core
in vec3 v_world;
in vec3 v_normal;

uniform vec3 u_color;
uniform vec3 u_eye;
uniform vec3 u_light_dir;  // unit, from the light toward the scene
uniform int u_flat;        // 1: unlit flat colour (tests compare silhouettes)

out vec4 frag_color;

const vec3 FILL_DIR = vec3(-0.80, 0.27, -0.53);  // unit, toward a dim fill light behind-left
const vec3 SKY = vec3(0.42, 0.45, 0.50);
const vec3 GROUND = vec3(0.22, 0.20, 0.19);
const vec3 RIM = vec3(0.25, 0.28, 0.34);

void main() {
    if (u_flat == 1) {
        frag_color = vec4(u_color, 1.0);
        return;
    }
    vec3 n = normalize(v_normal);
    vec3 v = normalize(u_eye - v_world);
    float key = max(dot(n, -u_light_dir), 0.0);
    float fill = max(dot(n, FILL_DIR), 0.0);
    vec3 ambient = mix(GROUND, SKY, 0.5 + 0.5 * n.y);
    float edge = 1.0 - max(dot(n, v), 0.0);
    float rim = edge * edge * edge;
    float spec = max(dot(n, normalize(v - u_light_dir)), 0.0);
    spec *= spec; spec *= spec; spec *= spec; spec *= spec; spec *= spec;  // ^32 without pow()
    vec3 lit = u_color * (ambient + 0.85 * key + 0.18 * fill) + RIM * rim + 0.18 * spec;
    frag_color = vec4(lit, 1.0);
}
"""

# The floor: a disc of rings around the camera target whose colour fades into the background toward the
# rim, computed per vertex so the per-pixel work is a copy (software GL pays for every floor pixel).
FLOOR_VERTEX = """
#version 330 core
layout(location = 0) in vec2 a_disc;  // unit disc
uniform mat4 u_view_proj;
uniform vec2 u_center;
uniform float u_fade;
uniform vec3 u_floor;
uniform vec3 u_background;
out vec3 v_color;
void main() {
    vec2 xz = u_center + a_disc * u_fade;
    v_color = mix(u_floor, u_background, smoothstep(0.35, 1.0, length(a_disc)));
    gl_Position = u_view_proj * vec4(xz.x, 0.0, xz.y, 1.0);
}
"""

FLOOR_FRAGMENT = """
#version 330 core
in vec3 v_color;
out vec4 frag_color;
void main() {
    frag_color = vec4(v_color, 1.0);
}
"""

# Grid lines as geometry (cheaper than a per-pixel grid on software GL). a_line = (x, z, along): a
# point of a line along x (along = 0, at constant z) or along z (along = 1, at constant x), in metres
# around the origin; the grid is shifted by whole major cells to stay under the camera target.
GRID_VERTEX = """
#version 330 core
layout(location = 0) in vec3 a_line;
uniform mat4 u_view_proj;
uniform vec2 u_shift;   // whole major cells
uniform vec2 u_center;  // camera target x, z
uniform float u_fade;
uniform vec3 u_floor;
uniform vec3 u_line;
uniform vec3 u_background;
out vec3 v_color;
void main() {
    vec2 xz = a_line.xy + u_shift;
    float across = a_line.z < 0.5 ? xz.y : xz.x;  // the line's constant coordinate
    float major = abs(across - 2.0 * floor(across / 2.0 + 0.5)) < 1e-3 ? 1.0 : 0.4;
    vec3 color = mix(u_floor, u_line, major);
    if (abs(across) < 1e-3) color = a_line.z < 0.5 ? vec3(0.62, 0.32, 0.32) : vec3(0.32, 0.42, 0.66);
    float fog = smoothstep(0.35 * u_fade, u_fade, length(xz - u_center));
    v_color = mix(color, u_background, fog);
    gl_Position = u_view_proj * vec4(xz.x, 0.0, xz.y, 1.0);
}
"""

GRID_FRAGMENT = """
#version 330 core
in vec3 v_color;
out vec4 frag_color;
void main() {
    frag_color = vec4(v_color, 1.0);
}
"""

SHADOW_VERTEX = """
#version 330 core
layout(location = 0) in vec2 a_xz;
uniform mat4 u_view_proj;
uniform vec2 u_center;
uniform float u_radius;
out vec2 v_local;
void main() {
    v_local = a_xz;
    vec2 p = u_center + a_xz * u_radius;
    gl_Position = u_view_proj * vec4(p.x, 0.0, p.y, 1.0);
}
"""

SHADOW_FRAGMENT = """
#version 330 core
in vec2 v_local;
uniform float u_strength;
out vec4 frag_color;
void main() {
    float r2 = dot(v_local, v_local);
    float a = u_strength * 0.7 * exp(-3.0 * r2) * (1.0 - smoothstep(0.7, 1.0, r2));
    frag_color = vec4(0.0, 0.0, 0.0, a);
}
"""

LINES_VERTEX = """
#version 330 core
layout(location = 0) in vec3 a_position;
uniform mat4 u_view_proj;
uniform float u_point_size;
void main() {
    gl_Position = u_view_proj * vec4(a_position, 1.0);
    gl_PointSize = u_point_size;
}
"""

LINES_FRAGMENT = """
#version 330 core
uniform vec3 u_color;
out vec4 frag_color;
void main() {
    frag_color = vec4(u_color, 1.0);
}
"""
