#!/usr/bin/env python3
"""Write small AthletePose3D files in exactly the layouts of the data set's pose_3d/ folder
(../shared/docs/athletepose3d-spec.md sections 2-4) to tests/data/athletepose3d/:

  train.pkl, valid.pkl            gendb.py's pickled lists of per-frame dicts
  frame_81/{train,test}/%08d.pkl  convert_ap3d.py's clips (train from train.pkl, stride 27; test from
  frame_243/{train,test}/...      valid.pkl, stride T), data_input / data_label float32 (T, 17, 3)
  reference.txt                   the AthletePose3D protocol's scores of a known prediction

The poses are synthetic (a walking skeleton seen by a pinhole camera, one video rotated 90 degrees
as the data set's rotation_ccw_90 branch does), computed with the spec's formulas. The tests need
no Python: they read these committed outputs. Needs numpy (Debian python3-numpy). Deterministic.

  /usr/bin/python3 scripts/make_athletepose3d_test_files.py

reference.txt: for T in (81, 243), the prediction for every test clip is its data_label with the
depth channel scaled by 1.1. Scored as the protocol says (spec section 4): prediction x 2.5d factor,
both root-relative, against joints_2.5d_image of the frames the clip shows, MPJPE and P-MPJPE (mm)
per action over its clip frames, then the unweighted mean over actions.
"""
import pathlib
import pickle
import shutil

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'data' / 'athletepose3d'
F = np.diag([1.0, -1.0, -1.0])  # gendb's flip of camera rows 2 and 3

# H36M-17 rest pose, y up, mm (pelvis, right leg, left leg, spine, thorax, neck, head, left arm, right arm).
REST = np.array([
    [0, 950, 0], [-130, 950, 0], [-130, 500, 20], [-130, 80, 0], [130, 950, 0], [130, 500, 20], [130, 80, 0],
    [0, 1180, 0], [0, 1420, 0], [0, 1520, 30], [0, 1650, 0], [190, 1400, 0], [230, 1130, 40], [250, 880, 80],
    [-190, 1400, 0], [-230, 1130, 40], [-250, 880, 80]], dtype=np.float64)

# (videoid, subject, action, camera, frames, fps, rotated); train.pkl and valid.pkl (the test clips' source).
TRAIN_VIDEOS = [(0, 'S1', 'Axel', 'cam1', 250, 60, False), (1, 'S2', 'Running', 'cam2', 40, 120, False)]
VALID_VIDEOS = [(0, 'S3', 'Axel', 'cam1', 250, 60, False), (1, 'S3', 'Javelin', 'cam2', 60, 60, False),
                (2, 'S2', 'Running', 'cam1', 170, 120, True)]
CAMERAS = {  # json sizes (W, H), focal length, yaw of the extrinsic rotation, centre in world mm
    'cam1': ((1920, 1080), 1500.0, 0.0, [0.0, 1000.0, 6000.0]),
    'cam2': ((1280, 720), 1100.0, 0.3, [1500.0, 1200.0, 5500.0]),
}


def world_motion(frames, fps, phase):
    """(frames, 17, 3) world joints: the rest pose walking along x with swinging limbs."""
    t = np.arange(frames)[:, None] / fps
    pose = np.repeat(REST[None], frames, axis=0)
    swing = np.sin(2 * np.pi * 1.3 * t + phase)
    for knee, ankle, sign in ((2, 3, 1), (5, 6, -1)):
        pose[:, knee, 2] += 120 * sign * swing[:, 0]
        pose[:, ankle, 2] += 260 * sign * swing[:, 0]
        pose[:, ankle, 1] += 60 * np.maximum(0, sign * swing[:, 0])
    for elbow, wrist, sign in ((12, 13, -1), (15, 16, 1)):
        pose[:, elbow, 2] += 90 * sign * swing[:, 0]
        pose[:, wrist, 2] += 200 * sign * swing[:, 0]
        pose[:, wrist, 1] += 80 * np.cos(2 * np.pi * 0.7 * t[:, 0] + phase)
    pose[:, :, 0] += 400 * t  # walking along x
    pose[:, :, 1] += 15 * np.sin(2 * np.pi * 2.6 * t)  # bounce
    return pose


def camera(name):
    (width, height), focal, yaw, centre = CAMERAS[name]
    c, s = np.cos(yaw), np.sin(yaw)
    rotation = np.array([[c, 0, -s], [0, 1, 0], [s, 0, c]])
    return width, height, focal, rotation, np.array(centre)


def project(points_cam, focal, width, height):
    return np.stack([focal * points_cam[..., 0] / points_cam[..., 2] + width / 2,
                     focal * points_cam[..., 1] / points_cam[..., 2] + height / 2], axis=-1)


def gendb_frames(videos):
    """gendb.py's per-frame dicts (spec section 2)."""
    frames = []
    for videoid, subject, action, cam, count, fps, rotated in videos:
        width, height, focal, rotation, centre = camera(cam)
        camera_param = {'R': rotation, 'T': centre, 'fx': focal, 'fy': focal, 'cx': width / 2, 'cy': height / 2,
                        'k': np.zeros(3), 'p': np.zeros(2), 'name': cam}
        for world in world_motion(count, fps, phase=videoid):
            cam_points = (F @ rotation @ (world - centre).T).T
            root = cam_points[0]
            corners = project(np.stack([root + [-1000, -1000, 0], root + [1000, 1000, 0]]), focal, width, height)
            box = corners.reshape(4)
            ratio = (abs(box[2] - box[0]) + 1) / 2000
            uv = project(cam_points, focal, width, height)
            image = np.concatenate([uv, ratio * (cam_points[:, 2:] - root[2])], axis=1)
            stored_w, stored_h = width, height
            if rotated:  # 90 degrees counter-clockwise: (u, v) -> (v, W - u), corners swapped, W and H swapped
                image[:, :2] = np.stack([uv[:, 1], width - uv[:, 0]], axis=1)
                box = np.array([box[3], width - box[2], box[1], width - box[0]])
                stored_w, stored_h = height, width
            frames.append({
                'videoid': videoid, 'cameraid': cam, 'camera_param': camera_param,
                'joint_3d_image': image, 'joint_3d_camera': cam_points, 'box': box,
                'center': np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]),
                'scale': np.array([abs(box[2] - box[0]) / 200, abs(box[3] - box[1]) / 200]),
                'ratio': np.float64(ratio), 'root_depth': np.float64(root[2]),
                'subject': subject, 'action': action, 'subaction': f'{action}_{videoid + 1}_{cam}',
                'video_width': stored_w, 'video_height': stored_h, 'rotation': rotated, 'fps': fps})
    return frames


def split_clips(sources, length, stride, rng):
    """MotionBERT's cut (spec section 4): windows every `stride` frames inside a video, tails dropped;
    a video with no window is resampled to `length` frames, unless it is the split's last."""
    bounds = [0] + [i for i in range(1, len(sources)) if sources[i] != sources[i - 1]] + [len(sources)]
    clips, saved = [], set()
    for v in range(len(bounds) - 1):
        begin, end = bounds[v], bounds[v + 1]
        starts = range(begin, end - length + 1, stride)
        clips += [np.arange(s, s + length) for s in starts]
        if starts:
            saved.add(sources[begin])
        elif sources[begin] not in saved and end != len(sources):
            even = np.linspace(0, end - begin, num=length, endpoint=False)
            pick_floor = rng.integers(2, size=length)
            chosen = np.sort(pick_floor * np.floor(even) + (1 - pick_floor) * np.ceil(even))
            clips.append(begin + np.clip(chosen, 0, end - begin - 1).astype(np.int64))
            saved.add(sources[begin])
    return clips


def normalized(frames):
    """datareader_ap3d's per-frame normalisation by the frame's own (W, H): (N, 17, 3)."""
    image = np.stack([f['joint_3d_image'] for f in frames])
    w = np.array([f['video_width'] for f in frames], dtype=np.float64)[:, None]
    h = np.array([f['video_height'] for f in frames], dtype=np.float64)[:, None]
    return np.stack([2 * image[..., 0] / w - 1, 2 * image[..., 1] / w - h / w, 2 * image[..., 2] / w], axis=-1)


def write_clips(folder, frames, clips):
    label = normalized(frames)
    folder.mkdir(parents=True)
    for c, indices in enumerate(clips):
        data_label = label[indices].astype(np.float32)
        data_input = data_label.copy()
        data_input[..., 2] = 1  # the ground-truth projection with confidence 1
        with open(folder / f'{c:08d}.pkl', 'wb') as f:
            pickle.dump({'data_input': data_input, 'data_label': data_label}, f, protocol=4)


def procrustes_error(pred, truth):
    """Mean joint error (mm) after the similarity transform that best maps pred onto truth, per frame."""
    errors = []
    for p, t in zip(pred, truth):
        p0, t0 = p - p.mean(0), t - t.mean(0)
        u, s, vt = np.linalg.svd(p0.T @ t0)
        d = np.sign(np.linalg.det(u @ vt))
        s[-1] *= d
        u[:, -1] *= d
        rotation = u @ vt
        scale = s.sum() / (p0 ** 2).sum()
        errors.append(np.linalg.norm(scale * p0 @ rotation - t0, axis=-1).mean())
    return np.array(errors)


def protocol_scores(frames, clips):
    """Per action (MPJPE, P-MPJPE) of the depth-scaled labels, and their mean over actions."""
    label = normalized(frames)
    image = np.stack([f['joint_3d_image'] for f in frames])
    ratio = np.array([float(f['ratio']) for f in frames])
    truth_all = image / ratio[:, None, None]  # joints_2.5d_image, mm
    per_action = {}
    for indices in clips:
        first = frames[indices[0]]
        width, height = first['video_width'], first['video_height']
        pred = label[indices].astype(np.float32).astype(np.float64)
        pred[..., 2] *= np.float32(1.1)
        pixels = np.stack([(pred[..., 0] + 1) * width / 2, (pred[..., 1] + height / width) * width / 2,
                           pred[..., 2] * width / 2], axis=-1)
        pred_mm = pixels / ratio[indices][:, None, None]
        pred_mm -= pred_mm[:, :1]
        truth = truth_all[indices] - truth_all[indices][:, :1]
        errors = per_action.setdefault(first['action'], ([], []))
        errors[0].extend(np.linalg.norm(pred_mm - truth, axis=-1).mean(-1))
        errors[1].extend(procrustes_error(pred_mm, truth))
    scores = {a: (np.mean(e[0]), np.mean(e[1])) for a, e in sorted(per_action.items())}
    scores['mean'] = tuple(np.mean([s[k] for s in scores.values()]) for k in range(2))
    return scores


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rng = np.random.default_rng(20250714)
    train, valid = gendb_frames(TRAIN_VIDEOS), gendb_frames(VALID_VIDEOS)
    for name, frames in (('train.pkl', train), ('valid.pkl', valid)):
        with open(OUT / name, 'wb') as f:
            pickle.dump(frames, f, protocol=4)
    lines = ['# AthletePose3D protocol scores (mm) of every test clip\'s data_label with depth x 1.1',
             '# clip_length action mpjpe p_mpjpe (action "mean": the unweighted mean over actions)']
    for length in (81, 243):
        folder = OUT / f'frame_{length}'
        write_clips(folder / 'train', train, split_clips([f['videoid'] for f in train], length, length // 3, rng))
        test_clips = split_clips([f['videoid'] for f in valid], length, length, rng)
        write_clips(folder / 'test', valid, test_clips)
        for action, (mpjpe, p_mpjpe) in protocol_scores(valid, test_clips).items():
            lines.append(f'{length} {action} {mpjpe:.6f} {p_mpjpe:.6f}')
    (OUT / 'reference.txt').write_text('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
